"""Every list answers ``{count, next, previous, results}``; ``page_size`` may ask for 1 to 500 rows.

The national lists (a viewset with ``national_list = True``: measurements, indicators, objectives, actions) stay
flat as the data grows (docs/performance.md, B5):

- their ``count`` is exact and cached on the data version (``nsp.data_version.cached``, the figure cache: keyed
  on the reader's view scope, the list's path and filters, and today's date, which some filters read), so the
  ``COUNT(*)`` over every readable row runs once per version of the data, not once per page;
- when their order is on their own columns (measurements: indicator, period end, id), ``next`` and ``previous``
  are keyset links (``?cursor=``: the order's values of the page's last or first row), so a later page reads
  its rows from the index instead of skipping ``OFFSET`` rows. ``?page=N`` keeps working as before (and a list
  asked by page number links by page number).
"""

from __future__ import annotations

import base64
import binascii
import json
from functools import cached_property

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import InvalidPage
from django.core.paginator import Paginator as DjangoPaginator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from nsp.data_version import cached
from nsp.ids import as_id

CURSOR = "cursor"
# Parameters that choose a page or its order, not which rows the list holds: left out of the count's key.
NOT_FILTERS = frozenset({"page", "page_size", CURSOR, "ordering", "format"})


class CountedPaginator(DjangoPaginator):
    """Django's paginator with the count given (read from the cache) instead of counted again."""

    def __init__(self, object_list, per_page, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.given_count = count

    @cached_property
    def count(self) -> int:
        return self.given_count


def keyset_order(queryset: models.QuerySet) -> list[tuple[models.Field, bool]] | None:
    """The list's order as (field, descending) on the model's own non-null columns, ending with the primary key;
    None when the order follows a relation (it would expand through the related model's ordering) or a nullable
    column (``NULL`` never compares): such a list links by page number."""
    query = queryset.query
    opts = queryset.model._meta
    names = list(query.order_by) if query.order_by else list(opts.ordering if query.default_ordering else [])
    order: list[tuple[models.Field, bool]] = []
    for name in names:
        if not isinstance(name, str):
            return None
        descending = name.startswith("-")
        name = name.lstrip("-")
        try:
            field = opts.pk if name == "pk" else opts.get_field(name)
        except FieldDoesNotExist:
            field = next((f for f in opts.concrete_fields if f.attname == name), None)
        if field is None or not getattr(field, "concrete", False) or field.null:
            return None
        if field.is_relation and name != field.attname:
            return None  # "indicator" orders by Indicator's ordering; "indicator_id" by the column
        order.append((field, descending))
    if not any(field.primary_key for field, _desc in order):
        order.append((opts.pk, False))
    return order


def _order_by(order, *, reverse: bool = False) -> list[str]:
    return [("-" if descending != reverse else "") + field.attname for field, descending in order]


def _after(order, values, *, reverse: bool = False) -> Q:
    """Rows after (``reverse``: before) the row whose order values are ``values``: (a > x) or (a = x and b > y)
    ..., with ``a >= x`` in front so the database starts its index scan there."""
    q = Q(pk__in=[])
    equal: dict = {}
    for (field, descending), value in zip(order, values, strict=True):
        lookup = "lt" if descending != reverse else "gt"
        q |= Q(**equal, **{f"{field.attname}__{lookup}": value})
        equal[field.attname] = value
    first_field, first_descending = order[0]
    bound = "lte" if first_descending != reverse else "gte"
    return Q(**{f"{first_field.attname}__{bound}": values[0]}) & q


def _parse_value(field: models.Field, raw):
    target = field.target_field if field.is_relation else field
    if isinstance(target, (models.AutoField, models.BigAutoField)) or field.is_relation:
        value = as_id(raw if isinstance(raw, str) else str(raw))
        if value is None:
            raise DjangoValidationError("not an id")
        return value
    value = target.to_python(raw)
    target.run_validators(value)
    return value


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    cursor_query_param = CURSOR

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        # A bad page size is the client's mistake; saying so beats silently using another one.
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            message = _("Give a whole number from 1 to %(max)s.") % {"max": self.max_page_size}
            raise ValidationError({self.page_size_query_param: [message]})
        return size

    # --- the count -----------------------------------------------------------------------------------

    def list_count(self, queryset, request, view) -> int:
        if not getattr(view, "national_list", False):
            return queryset.count()
        params = request.query_params
        filters = sorted((name, params.getlist(name)) for name in params if name not in NOT_FILTERS)
        return cached(
            "api-count",
            [request.path, queryset.model._meta.label_lower, timezone.localdate(), filters],
            queryset.count,
            user=request.user,
        )

    # --- pages ---------------------------------------------------------------------------------------

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.keyset = None
        page_size = self.get_page_size(request)
        order = keyset_order(queryset) if getattr(view, "national_list", False) else None
        raw_cursor = request.query_params.get(self.cursor_query_param)
        by_page = request.query_params.get(self.page_query_param) not in (None, "")
        if raw_cursor not in (None, "") and (order is None or by_page):
            message = _("This list does not take a cursor here: follow its next and previous links.")
            raise ValidationError({self.cursor_query_param: [message]})
        if order is not None:
            queryset = queryset.order_by(*_order_by(order))
        self.count = self.list_count(queryset, request, view)
        if order is None or by_page:
            return self._by_page(queryset, request, page_size)
        return self._by_keyset(queryset, order, raw_cursor or None, page_size)

    def _by_page(self, queryset, request, page_size):
        paginator = CountedPaginator(queryset, page_size, count=self.count)
        page_number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(page_number)
        except InvalidPage as exc:
            raise NotFound(self.invalid_page_message.format(page_number=page_number, message=str(exc))) from None
        if paginator.num_pages > 1 and self.template is not None:
            self.display_page_controls = True
        return list(self.page)

    def _by_keyset(self, queryset, order, raw_cursor, page_size):
        backward, values = self.decode(order, raw_cursor) if raw_cursor else (False, None)
        if values is not None:
            queryset = queryset.filter(_after(order, values, reverse=backward))
        rows = list(queryset.order_by(*_order_by(order, reverse=backward))[: page_size + 1])
        more = len(rows) > page_size
        rows = rows[:page_size]
        if backward:
            rows.reverse()
        first, last = (rows[0], rows[-1]) if rows else (None, None)
        # Forward: a next page when a row is left over; a previous one when this page came from a cursor.
        # Backward (a previous link followed): the other way round.
        has_next = more if not backward else values is not None
        has_previous = (values is not None) if not backward else more
        self.keyset = {
            "next": self.encode(order, last, backward=False) if has_next and last is not None else None,
            "previous": self.encode(order, first, backward=True) if has_previous and first is not None else None,
        }
        return rows

    def encode(self, order, row, *, backward: bool) -> str:
        values = [getattr(row, f.attname) if f.is_relation else f.value_to_string(row) for f, _d in order]
        payload = {"o": _order_by(order), "v": values, "b": backward}
        text = json.dumps(payload, separators=(",", ":"), default=str)
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    def decode(self, order, raw: str) -> tuple[bool, list]:
        invalid = ValidationError({self.cursor_query_param: [_("This cursor is not one of this list's links.")]})
        try:
            padded = raw + "=" * (-len(raw) % 4)
            payload = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            if not isinstance(payload, dict) or payload.get("o") != _order_by(order):
                raise invalid
            raw_values, backward = payload.get("v"), payload.get("b")
            if not isinstance(raw_values, list) or len(raw_values) != len(order) or not isinstance(backward, bool):
                raise invalid
            values = [_parse_value(field, value) for (field, _d), value in zip(order, raw_values, strict=True)]
        except (ValueError, TypeError, UnicodeError, binascii.Error, DjangoValidationError):
            raise invalid from None
        return backward, values

    # --- links and the answer ------------------------------------------------------------------------

    def get_next_link(self):
        if self.keyset is None:
            return super().get_next_link()
        return self._cursor_link(self.keyset["next"])

    def get_previous_link(self):
        if self.keyset is None:
            return super().get_previous_link()
        return self._cursor_link(self.keyset["previous"])

    def _cursor_link(self, token: str | None) -> str | None:
        if token is None:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, token)

    def get_paginated_response(self, data):
        return Response(
            {"count": self.count, "next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )

    def get_html_context(self):
        if self.keyset is None:
            return super().get_html_context()
        return {"previous_url": self.get_previous_link(), "next_url": self.get_next_link(), "page_links": []}

    # --- the schema ----------------------------------------------------------------------------------

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": self.max_page_size})
        if getattr(view, "national_list", False):
            parameters.append(
                {
                    "name": self.cursor_query_param,
                    "required": False,
                    "in": "query",
                    "description": (
                        "Where the page starts: the value in this list's `next` and `previous` links (opaque). "
                        "Without `page`, those links are cursors on the list's order; with `page`, page numbers."
                    ),
                    "schema": {"type": "string"},
                }
            )
        return parameters

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"]["description"] = "How many rows the list holds, all pages together (exact)."
        for name in ("next", "previous"):
            response["properties"][name]["description"] = (
                "The link to the next or previous page, or null. A page number (`page=`) or, on the national lists "
                "asked without `page`, a cursor (`cursor=`)."
            )
        return response
