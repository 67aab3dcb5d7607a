"""Foreign keys in API input resolve only among the rows the caller may read.

An id the caller may not read answers 400 "object does not exist", exactly like an id that does not
exist, so the API never tells whether a hidden row is there. Whether the caller may change the row
it points at is the service's question (403).
"""

from __future__ import annotations

from rest_framework import serializers

from nsp.ids import as_id


class RestrictedQuerysetMixin:
    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request") if hasattr(self, "context") else None
        user = getattr(request, "user", None)
        if user is None:
            return queryset.none()
        return queryset.restrict(user, "view")


class RestrictedPrimaryKeyRelatedField(RestrictedQuerysetMixin, serializers.PrimaryKeyRelatedField):
    """A readable row, by id."""

    def to_internal_value(self, data):
        number_like = isinstance(data, int) and not isinstance(data, bool)
        number_like = number_like or (isinstance(data, str) and data.strip().isdigit())
        if number_like and as_id(data) is None:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)
