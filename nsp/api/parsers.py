"""JSON bodies through the intake: size (413) and nesting depth (400) bounded, never a 500."""

from __future__ import annotations

from django.conf import settings
from rest_framework.parsers import JSONParser

from nsp import intake


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser with the intake's limits: ``MAX_REQUEST_BYTES``, ``JSON_MAX_DEPTH``."""

    def parse(self, stream, media_type=None, parser_context=None):
        limits = intake.Limits(max_bytes=settings.MAX_REQUEST_BYTES, max_depth=settings.JSON_MAX_DEPTH)
        data = stream.read(limits.max_bytes + 1) if stream is not None else b""
        return intake.read_json(data, limits=limits, what="body")
