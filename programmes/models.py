"""Federal programmes (art. 95 programme-based work) and improvement projects.

A programme is a ``nsp.Plan``: it carries objectives, indicators and actions like any plan. Managers
hold ``manage_programme`` on it through guardian's direct foreign-key tables below.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase
from simple_history.models import HistoricalRecords

from nsp.models import Plan
from nsp.querysets import RestrictedQuerySet


class Programme(Plan):
    class Type(models.TextChoices):
        PROGRAMME = "programme", _("Programme (art. 95)")
        IMPROVEMENT_PROJECT = "improvement_project", _("Improvement project")

    PLAN_KIND = Plan.Kind.PROGRAMME

    programme_type = models.CharField(_("type"), max_length=20, choices=Type.choices, default=Type.PROGRAMME)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    owning_unit = models.CharField(
        _("owning federal unit"), max_length=120, help_text=_("For example DGJ/DJSOC or DGA/DAO.")
    )
    description = models.TextField(_("description"), blank=True)
    phenomena = models.ManyToManyField(
        "clusters.SecurityPhenomenon", blank=True, related_name="programmes", verbose_name=_("phenomena")
    )
    themes = models.ManyToManyField(
        "clusters.CrossCuttingTheme", blank=True, related_name="programmes", verbose_name=_("cross-cutting themes")
    )
    history = HistoricalRecords(m2m_fields=[phenomena, themes])

    class Meta:
        ordering = ["code"]
        verbose_name = _("federal programme")
        verbose_name_plural = _("federal programmes")
        permissions = [("manage_programme", _("Change the programme and its content"))]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programmes:programme", kwargs={"pk": self.pk})


class ImprovementProjectManager(models.Manager.from_queryset(RestrictedQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(programme_type=Programme.Type.IMPROVEMENT_PROJECT)


class ImprovementProject(Programme):
    """An improvement project as part of everyday missions: a programme of the other type."""

    objects = ImprovementProjectManager()

    class Meta:
        proxy = True
        verbose_name = _("improvement project")
        verbose_name_plural = _("improvement projects")


class ProgrammeGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Programme, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False
