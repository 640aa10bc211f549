"""Who may read: API keys (hashed, revocable, each with its own rate) and, where the setting
allows it, anonymous clients."""

from __future__ import annotations

import math
import time

from django.conf import settings
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.throttling import BaseThrottle
from rest_framework_api_key.permissions import KeyParser

from content.models import DeliveryKey

from . import freshness
from .freshness import generations
from .rates import RATE_WINDOW, rate_identity, rates

_INVALID = object()


def _validated_key(request, key: str) -> DeliveryKey | None:
    """The key's record if ``key`` is valid and not revoked; checked in the database once per
    keys generation (which grows with any change to the keys), then reused by this worker."""
    found_generations = generations(request)
    cache_key = (found_generations.epoch, found_generations.keys, key)
    found = freshness.keys.get(cache_key)
    if found is None:
        try:
            found = DeliveryKey.objects.get_from_key(key)  # checks the hash and revocation
        except DeliveryKey.DoesNotExist:
            found = _INVALID
        freshness.keys.put(cache_key, found, size=len(key) + 200)
    return None if found is _INVALID else found


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
        api_key = _validated_key(request._request, key)
        if api_key is None or api_key.has_expired:
            raise exceptions.AuthenticationFailed("This API key is not valid, or was revoked.")
        request._request.api_key_prefix = api_key.prefix  # for the request log
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


class DeliveryThrottle(BaseThrottle):
    """Each key at its own rate per minute; anonymous clients by address at a set rate.

    A fixed one-minute window counted in the shared cache (Redis in production), so the
    limit holds across workers and hosts; see ``rates.RateCounter``. (DRF's
    SimpleRateThrottle keeps every request's timestamp in one cache entry, which grows with
    the rate.)
    """

    def allow_request(self, request, view) -> bool:
        api_key = request.auth if isinstance(request.auth, DeliveryKey) else None
        limit = api_key.requests_per_minute if api_key else self._anonymous_per_window()
        identity = rate_identity(request._request, api_key)
        count, window_ends = rates.hit(identity, limit)
        request._request.rate_identity = identity  # refunded if a dependency fails (views)
        self.wait_seconds = max(1, math.ceil(window_ends - time.time()))
        return count <= limit

    def wait(self) -> int:
        return self.wait_seconds

    @staticmethod
    def _anonymous_per_window() -> int:
        count, _, period = settings.DELIVERY_ANONYMOUS_RATE.partition("/")
        seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[:1] or "m"]
        return max(1, int(int(count) * RATE_WINDOW / seconds))
