"""The Django admin for the NSP reference: security clusters, phenomena and cross-cutting themes.

Names and key points show in all four languages (modeltranslation); every change is kept in history.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline

from clusters.models import CrossCuttingTheme, SecurityCluster, SecurityPhenomenon
from nsp.admin import TranslatedHistoryAdmin
from nsp.languages import translated_fields

NAME_SEARCH = tuple(translated_fields("name"))
KEY_POINT_SEARCH = tuple(translated_fields("key_point"))


class PhenomenonInline(TranslationTabularInline):
    """A cluster's phenomena; each opens on its own page for its key point."""

    model = SecurityPhenomenon
    fk_name = "cluster"
    fields = ("nsp", "number", "name", "is_national_priority")
    extra = 0
    show_change_link = True

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # The edition is the cluster's: carried as a hidden field, so unique numbers are checked on the form.
        if db_field.name == "nsp":
            return db_field.formfield(widget=forms.HiddenInput)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            formset.form.base_fields["nsp"].initial = obj.nsp_id
        return formset

    def has_add_permission(self, request, obj=None):
        # On a new cluster the edition is not known yet; add its phenomena once it is saved.
        return obj is not None and super().has_add_permission(request, obj)


@admin.register(SecurityCluster)
class SecurityClusterAdmin(TranslatedHistoryAdmin):
    list_display = ("number", "name", "nsp", "phenomenon_count")
    list_display_links = ("number", "name")
    list_filter = ("nsp",)
    list_select_related = ("nsp",)
    search_fields = NAME_SEARCH
    autocomplete_fields = ("previous",)
    inlines = [PhenomenonInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(phenomena_total=Count("phenomena"))

    @admin.display(description=_("phenomena"), ordering="phenomena_total")
    def phenomenon_count(self, obj: SecurityCluster) -> int:
        return obj.phenomena_total


@admin.register(SecurityPhenomenon)
class SecurityPhenomenonAdmin(TranslatedHistoryAdmin):
    list_display = ("number", "name", "cluster", "nsp", "is_national_priority")
    list_display_links = ("number", "name")
    list_filter = ("nsp", "is_national_priority", "cluster")
    list_select_related = ("cluster", "nsp")
    search_fields = (*NAME_SEARCH, *KEY_POINT_SEARCH)
    autocomplete_fields = ("previous",)


@admin.register(CrossCuttingTheme)
class CrossCuttingThemeAdmin(TranslatedHistoryAdmin):
    list_display = ("number", "name", "nsp", "is_national_priority")
    list_display_links = ("number", "name")
    list_filter = ("nsp", "is_national_priority")
    list_select_related = ("nsp",)
    search_fields = (*NAME_SEARCH, *KEY_POINT_SEARCH)
    autocomplete_fields = ("previous",)
