"""Base classes of the API: restricted querysets, writes through services, ETags.

A viewset reads ``Model.objects.restrict(user, "view")`` (plus its list's joins and annotations), so
a row the caller may not read answers 404. Writes hand the serializer's ``validated_data`` to a
service (``create_object`` / ``update_object`` / ``delete_object``), which checks the permission
matrix on the locked plan and answers 403 or a ``DomainError``.

Concurrency: details carry an ``ETag`` (a hash of the representation without its derived progress
fields, rendered in the default language). PUT, PATCH and DELETE lock the plan and the row, then
compare ``If-Match`` with the current ETag inside the same transaction as the write: a stale tag
answers 412 and nothing is written. Without ``If-Match`` the write is accepted (last write wins,
serialised by the row lock) and the response carries the new ETag.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, ClassVar

from django.conf import settings
from django.db import models, transaction
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder
from rest_framework.validators import UniqueValidator

from nsp.api.fields import RestrictedPrimaryKeyRelatedField
from nsp.exceptions import Conflict
from nsp.ids import as_id
from nsp.models import Plan
from nsp.services import lock_plan

IF_MATCH_POLICY = (
    "Send the `ETag` of your last read as `If-Match`: a stale tag answers 412 and nothing is written; "
    "`If-Match: *` always passes. Without `If-Match` the write is accepted (last write wins, "
    "serialised by a row lock) and the response carries the new `ETag`."
)


class ServiceModelSerializer(serializers.ModelSerializer):
    """Types and shapes only: no uniqueness checks (the service and the database rule on them), no save()."""

    serializer_related_field = RestrictedPrimaryKeyRelatedField

    def get_validators(self) -> list:
        return []

    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        if "validators" in field_kwargs:
            field_kwargs["validators"] = [v for v in field_kwargs["validators"] if not isinstance(v, UniqueValidator)]
        return field_class, field_kwargs

    def validate(self, attrs):
        attrs = super().validate(attrs)
        # A read-only plan named in an update would be ignored silently; a row never moves to another plan.
        plan_field = self.fields.get("plan")
        if self.instance is not None and plan_field is not None and plan_field.read_only:
            given = self.initial_data.get("plan") if hasattr(self.initial_data, "get") else None
            if given not in (None, "") and str(given) != str(getattr(self.instance, "plan_id", given)):
                raise serializers.ValidationError(
                    {"plan": [_("%(item)s cannot move to another plan.") % {"item": self.instance._meta.verbose_name}]}
                )
        return attrs

    def save(self, **kwargs):
        raise AssertionError("API writes go through the services; pass serializer.validated_data to one.")


def parse_etags(header: str) -> list[str]:
    """The opaque tags of an If-Match header; a W/ prefix (added by compressing proxies) is ignored."""
    tags = []
    for part in header.split(","):
        part = part.strip()
        if part.startswith("W/"):
            part = part[2:]
        if part:
            tags.append(part)
    return tags


class RestrictedQuerysetMixin:
    """``get_queryset`` = the rows the caller may read, with the list's joins and annotations."""

    queryset: models.QuerySet
    # One FilterSet per model filters, searches and orders, as on the list pages.
    filter_backends: ClassVar[list] = [DjangoFilterBackend]
    list_select_related: ClassVar[tuple[str, ...]] = ()
    list_prefetch_related: ClassVar[tuple[Any, ...]] = ()
    # A national list (rows of every zone): its count is cached on the data version and, ordered on its own
    # columns, it links by keyset (nsp.api.pagination). Only for rows ``view_scope`` decides (not a person's own).
    national_list: ClassVar[bool] = False

    def get_queryset(self) -> models.QuerySet:
        queryset = self.queryset.all().restrict(self.request.user, "view")
        if self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        if self.list_prefetch_related:
            queryset = queryset.prefetch_related(*self.list_prefetch_related)
        # Writes only need the row; the annotations (progress) cost a query plan and are outside the ETag.
        return self.annotate(queryset) if getattr(self, "action", None) in ("list", "retrieve") else queryset

    def get_object(self) -> models.Model:
        model = self.queryset.model._meta.verbose_name
        # Django's message names the class; say it in the user's language, as the pages do.
        missing = Http404(_("No %(model)s matches the given query.") % {"model": model})
        if as_id(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)) is None:
            raise missing
        try:
            return super().get_object()
        except Http404:
            raise missing from None

    def annotate(self, queryset: models.QuerySet) -> models.QuerySet:
        """Derived values (progress and the like) a subclass adds to every row."""
        return queryset

    def reload(self, instance: models.Model, *, annotated: bool = True) -> models.Model:
        """The row as the list and detail show it; 404 once the caller may not read it."""
        queryset = self.get_queryset()
        if annotated and getattr(self, "action", None) not in ("list", "retrieve"):
            queryset = self.annotate(queryset)
        fresh = queryset.filter(pk=instance.pk).first()
        if fresh is None:
            raise Http404(_("No %(model)s matches the given query.") % {"model": instance._meta.verbose_name})
        return fresh


class ETagMixin:
    """``ETag`` on details; ``If-Match`` compared under the row lock before any write."""

    # Fields derived from other rows or from today's date: they change without the row changing.
    etag_ignore: ClassVar[frozenset[str]] = frozenset()
    etag_enabled = True

    def etag(self, instance: models.Model) -> str:
        with translation.override(settings.LANGUAGE_CODE):
            data = self.get_serializer(instance).data
            payload = {key: value for key, value in data.items() if key not in self.etag_ignore}
            encoded = json.dumps(payload, cls=JSONEncoder, sort_keys=True, ensure_ascii=True)
        digest = hashlib.sha256(encoded.encode()).hexdigest()[:40]
        return f'"{digest}"'

    def lock(self, instance: models.Model) -> None:
        """Lock the plan, then the row: the same order as the services, so writers never cross."""
        plan_id = instance.pk if isinstance(instance, Plan) else getattr(instance, "plan_id", None)
        if plan_id is not None:
            lock_plan(plan_id)
        # No ordering: a default ordering across a relation would outer-join, which FOR UPDATE refuses.
        rows = type(instance)._base_manager.select_for_update().filter(pk=instance.pk).order_by()
        locked = rows.values_list("pk", flat=True)
        if not list(locked):
            raise Http404(_("No %(model)s matches the given query.") % {"model": instance._meta.verbose_name})

    def check_precondition(self, instance: models.Model) -> None:
        """Call inside the write's transaction."""
        self.lock(instance)
        header = self.request.headers.get("If-Match")
        if header is None:
            return
        tags = parse_etags(header)
        if "*" in tags:
            return
        current = self.etag(self.reload(instance, annotated=False))
        if current not in tags:
            raise Conflict(
                _("This %(model)s changed since you read it. Read it again, then repeat your change.")
                % {"model": instance._meta.verbose_name},
                extra={"etag": current},
                code="stale",
            )

    def respond(self, instance: models.Model, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = self.reload(instance)
        data = self.get_serializer(fresh).data
        return Response(data, status=status_code, headers={"ETag": self.etag(fresh)})


class RestrictedReadOnlyViewSet(RestrictedQuerysetMixin, ETagMixin, viewsets.ReadOnlyModelViewSet):
    def retrieve(self, request, *args, **kwargs) -> Response:
        instance = self.get_object()
        return Response(self.get_serializer(instance).data, headers={"ETag": self.etag(instance)})


class RestrictedModelViewSet(RestrictedQuerysetMixin, ETagMixin, viewsets.ModelViewSet):
    """Reads restricted; writes through ``create_object`` / ``update_object`` / ``delete_object``."""

    # Fields a PUT or PATCH may repeat unchanged (the plan, the parent row...): only real changes reach the
    # service, which refuses moving a row to another plan and picks the right it checks from what changes.
    drop_unchanged: ClassVar[tuple[str, ...]] = ()

    def create_object(self, data: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def update_object(self, instance: models.Model, changes: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def delete_object(self, instance: models.Model) -> None:
        raise NotImplementedError

    def retrieve(self, request, *args, **kwargs) -> Response:
        instance = self.get_object()
        return Response(self.get_serializer(instance).data, headers={"ETag": self.etag(instance)})

    def create(self, request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            instance = self.create_object(dict(serializer.validated_data))
        return self.respond(instance, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs) -> Response:
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            self.check_precondition(instance)
            instance = type(instance)._base_manager.get(pk=instance.pk)
            changes = self.without_unchanged(instance, dict(serializer.validated_data))
            instance = self.update_object(instance, changes)
        return self.respond(instance)

    def destroy(self, request, *args, **kwargs) -> Response:
        instance = self.get_object()
        with transaction.atomic():
            self.check_precondition(instance)
            self.delete_object(type(instance)._base_manager.get(pk=instance.pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    def without_unchanged(self, instance: models.Model, changes: dict[str, Any]) -> dict[str, Any]:
        for name in self.drop_unchanged:
            if name in changes and same_value(instance, name, changes[name]):
                del changes[name]
        return changes


class RestrictedUpdatableViewSet(RestrictedModelViewSet):
    """Read by every role; changed (PUT/PATCH) by whom the matrix allows; neither created nor deleted here."""

    http_method_names = ["get", "put", "patch", "head", "options"]


def same_value(instance: models.Model, name: str, value: Any) -> bool:
    field = instance._meta.get_field(name)
    if field.is_relation and field.many_to_one:
        return getattr(value, "pk", value) == getattr(instance, field.attname)
    return getattr(instance, name) == value


# --- the same version on the pages -------------------------------------------------------------------


def _etag_viewsets(cls: type = ETagMixin):
    for sub in cls.__subclasses__():
        yield sub
        yield from _etag_viewsets(sub)


def viewset_for(model: type[models.Model]) -> type[ETagMixin] | None:
    """The API resource that serves ``model`` (its ETag is the row's version), or None."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (the apps' API modules define their viewsets as the URLconf loads)
    for candidate in _etag_viewsets():
        queryset = getattr(candidate, "queryset", None)
        if queryset is not None and queryset.model is model and getattr(candidate, "serializer_class", None):
            return candidate
    return None


class PageVersion:
    """The ``ETag`` the API gives a row, computed for a page: an edit form carries it, a save compares it.

    ``lock`` takes the same locks as an API write (the plan, then the row); ``current`` reads the row again.
    A model the API does not serve is versioned by a hash of its stored values.
    """

    def __init__(self, request, model: type[models.Model]) -> None:
        from rest_framework.request import Request

        self.model = model
        viewset_class = viewset_for(model)
        self.view = None
        if viewset_class is not None:
            view = viewset_class()
            drf_request = Request(request, authenticators=())
            drf_request.user = request.user
            view.request, view.format_kwarg, view.action, view.args, view.kwargs = (
                drf_request,
                None,
                "partial_update",
                (),
                {},
            )
            view.headers = {}
            self.view = view

    def lock(self, instance: models.Model) -> None:
        if self.view is not None:
            self.view.lock(instance)
        else:
            ETagMixin.lock(self, instance)

    def current(self, instance: models.Model) -> str:
        if self.view is not None:
            return self.view.etag(self.view.reload(instance, annotated=False))
        from django.core import serializers as django_serializers

        fresh = self.model._base_manager.filter(pk=instance.pk)
        encoded = django_serializers.serialize("json", fresh)
        return f'"{hashlib.sha256(encoded.encode()).hexdigest()[:40]}"'
