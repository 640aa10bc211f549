"""Who may read: API keys (hashed, revocable, each with its own rate) and, where the setting
allows it, anonymous clients."""

from __future__ import annotations

from django.conf import settings
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle
from rest_framework_api_key.permissions import KeyParser

from content.models import DeliveryKey


class ApiKeyAuthentication(BaseAuthentication):
    """``Authorization: Api-Key <key>``. A key that is sent must be valid: a wrong, revoked or
    expired key is a 401, never a silent fall-back to anonymous access."""

    keyword = KeyParser.keyword

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        key = KeyParser().get_from_authorization(request._request)
        if not key:
            raise exceptions.AuthenticationFailed("Send the key as 'Authorization: Api-Key <key>'.")
        try:
            api_key = DeliveryKey.objects.get_from_key(key)  # checks the hash and revocation
        except DeliveryKey.DoesNotExist:
            api_key = None
        if api_key is None or api_key.has_expired:
            raise exceptions.AuthenticationFailed("This API key is not valid, or was revoked.")
        return (None, api_key)

    def authenticate_header(self, request) -> str:
        return self.keyword


class DeliveryAccess(BasePermission):
    """A valid key, or no key where anonymous reads are allowed."""

    def has_permission(self, request, view) -> bool:
        if isinstance(request.auth, DeliveryKey) or settings.DELIVERY_ALLOW_ANONYMOUS:
            return True
        raise exceptions.NotAuthenticated(
            "An API key is required: send 'Authorization: Api-Key <key>'."
        )


class DeliveryThrottle(SimpleRateThrottle):
    """Each key at its own rate; anonymous clients by address. Counts live in the shared cache,
    so the limit holds across workers and hosts."""

    scope = "delivery"

    def get_rate(self) -> str:
        return settings.DELIVERY_ANONYMOUS_RATE

    def allow_request(self, request, view) -> bool:
        api_key = request.auth if isinstance(request.auth, DeliveryKey) else None
        if api_key is not None:
            self.num_requests, self.duration = api_key.requests_per_minute, 60
        else:
            self.num_requests, self.duration = self.parse_rate(self.get_rate())
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str:
        if isinstance(request.auth, DeliveryKey):
            return f"throttle:delivery:key:{request.auth.pk}"
        return f"throttle:delivery:anon:{self.get_ident(request)}"
