"""The NSP reference: ISFD security clusters, security phenomena and cross-cutting themes, per edition.

Names and key-point texts are translated (en/fr/nl/de, django-modeltranslation). History is
registered in ``translation.py``, after the translated fields exist. ``previous`` links a
row to its counterparts in an earlier NSP edition, which is how editions map onto each other (and how a
zonal plan's answers are carried to the next edition, ``zones.services.plan_realign``). A mapping that is
our inference rather than the plan's own statement says so (``previous_inferred``, ``cluster_inferred``)
until a federal planner confirms or corrects it.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from nsp.models import SMALL_MAX
from nsp.querysets import RestrictedQuerySet


class ReferenceItem(models.Model):
    nsp = models.ForeignKey(
        "nsp.NationalSecurityPlan", on_delete=models.CASCADE, related_name="+", verbose_name=_("NSP edition")
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[SMALL_MAX])
    name = models.CharField(_("name"), max_length=300)
    unofficial_languages = models.CharField(
        _("unofficial translations"),
        max_length=20,
        blank=True,
        help_text=_("Languages whose texts are our own translation, not an official one (e.g. 'de')."),
    )
    previous_inferred = models.BooleanField(
        _("mapping to the previous edition inferred"),
        default=False,
        help_text=_("The link to the previous edition is our inference, not the plan's own; untick once confirmed."),
    )
    # What the last reference-data load wrote (clusters.reference): a stored value that differs from it is a
    # planner's correction, which a later load keeps.
    loaded_values = models.JSONField(_("values of the last reference load"), default=dict, blank=True, editable=False)
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["nsp", "number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    def is_official(self, language: str) -> bool:
        return language not in {code.strip() for code in self.unofficial_languages.split(",")}


class SecurityCluster(ReferenceItem):
    """One of the ten security clusters of the Integral Security Framework Document (ISFD)."""

    nsp = models.ForeignKey(
        "nsp.NationalSecurityPlan", on_delete=models.CASCADE, related_name="clusters", verbose_name=_("NSP edition")
    )
    previous = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="next_editions", verbose_name=_("in the previous edition")
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = _("security cluster")
        verbose_name_plural = _("security clusters")
        constraints = [models.UniqueConstraint(fields=["nsp", "number"], name="clusters_cluster_unique_number")]

    def get_absolute_url(self) -> str:
        return reverse("clusters:cluster", kwargs={"pk": self.pk})


class SecurityPhenomenon(ReferenceItem):
    """A security phenomenon with its NSP key point, in one cluster."""

    nsp = models.ForeignKey(
        "nsp.NationalSecurityPlan", on_delete=models.CASCADE, related_name="phenomena", verbose_name=_("NSP edition")
    )
    cluster = models.ForeignKey(
        SecurityCluster,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="phenomena",
        verbose_name=_("cluster"),
        help_text=_("The security cluster of the framework note it falls under; some phenomena fall under none."),
    )
    cluster_inferred = models.BooleanField(
        _("cluster inferred"),
        default=False,
        help_text=_("The cluster is our inference by subject, not the plan's own; untick once confirmed."),
    )
    key_point = models.TextField(_("key point"), blank=True)
    is_national_priority = models.BooleanField(
        _("national priority"),
        default=True,
        help_text=_("Zonal plans must adopt a national priority or justify why they do not."),
    )
    previous = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="next_editions", verbose_name=_("in the previous edition")
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = _("security phenomenon")
        verbose_name_plural = _("security phenomena")
        constraints = [models.UniqueConstraint(fields=["nsp", "number"], name="clusters_phenomenon_unique_number")]

    def get_absolute_url(self) -> str:
        return reverse("clusters:phenomenon", kwargs={"pk": self.pk})

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        super().clean()
        if self.cluster_id and self.nsp_id and self.cluster.nsp_id != self.nsp_id:
            raise ValidationError({"cluster": _("The cluster must belong to the same NSP edition.")})


class CrossCuttingTheme(ReferenceItem):
    """A cross-cutting theme of the NSP (administrative approach, cybercrime, ...)."""

    nsp = models.ForeignKey(
        "nsp.NationalSecurityPlan", on_delete=models.CASCADE, related_name="themes", verbose_name=_("NSP edition")
    )
    key_point = models.TextField(_("key point"), blank=True)
    is_national_priority = models.BooleanField(
        _("national priority"),
        default=True,
        help_text=_("Zonal plans must adopt a national priority or justify why they do not."),
    )
    previous = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="next_editions", verbose_name=_("in the previous edition")
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = _("cross-cutting theme")
        verbose_name_plural = _("cross-cutting themes")
        constraints = [models.UniqueConstraint(fields=["nsp", "number"], name="clusters_theme_unique_number")]

    def get_absolute_url(self) -> str:
        return reverse("clusters:theme", kwargs={"pk": self.pk})
