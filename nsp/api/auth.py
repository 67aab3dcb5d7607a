"""API tokens: ``POST /api/v1/auth/token/`` (username, password) → ``{"token": ...}``; ``DELETE`` revokes it.

One token per user (DRF's authtoken table); after a revocation, or once the token is older than
``TOKEN_TTL_DAYS``, the next POST issues a new key. Failed attempts count towards the same lockout as the
login page (django-axes, per username and address: 429 ``locked_out``), and the endpoint is rate-limited
per address (``TOKEN_THROTTLE_RATE``: 429 ``throttled``). See ``nsp/accounts.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.parsers import FormParser
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from nsp import accounts
from nsp.api.parsers import BoundedJSONParser
from nsp.api.schema import ErrorSerializer


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=gettext_lazy("username"), max_length=150)
    password = serializers.CharField(
        label=gettext_lazy("password"), max_length=4096, trim_whitespace=False, style={"input_type": "password"}
    )

    def validate(self, attrs: dict) -> dict:
        # The Django request, so that django-axes counts the attempt (and flags a lockout) on it.
        request = self.context["request"]
        user = authenticate(
            getattr(request, "_request", request), username=attrs["username"], password=attrs["password"]
        )
        if user is None or not user.is_active:
            raise serializers.ValidationError(_("Unable to log in with these credentials."), code="authorization")
        attrs["user"] = user
        return attrs


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`.")


class TokenThrottle(AnonRateThrottle):
    """Requests for a token, per address; the rate is read from the settings on each request."""

    scope = "auth-token"

    def get_rate(self) -> str:
        return settings.TOKEN_THROTTLE_RATE

    def allow_request(self, request, view) -> bool:
        if request.method != "POST":
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenView(APIView):
    """Obtain (POST) or revoke (DELETE) your API token."""

    parser_classes = [BoundedJSONParser, FormParser]
    throttle_classes = [TokenThrottle]

    def get_permissions(self) -> list:
        if self.request.method == "POST":
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, 429: ErrorSerializer},
        summary="Obtain your API token",
        description=(
            "Answers your existing token, or a new one after a revocation or once it expired (`TOKEN_TTL_DAYS`). "
            "Too many failures for one username from one address lock that pair out for a while (429, "
            '`extra.code = "locked_out"`); too many requests from one address answer 429 (`throttled`).'
        ),
    )
    def post(self, request) -> Response:
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token = accounts.token_issue(user=serializer.validated_data["user"])
        return Response({"token": token.key})

    @extend_schema(request=None, responses={204: None}, summary="Revoke your API token")
    def delete(self, request) -> Response:
        accounts.token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
