"""Who calls the editorial API: a person, by a personal access token or by the admin's own
session (with its CSRF token), each call limited per token (or per person) and minute."""

from __future__ import annotations

import math
import time

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.throttling import BaseThrottle

from content.delivery.rates import rates
from content.models import PersonalToken
from content.workflow.tokens import TokenState, has_access, state_of

#: Calls per minute of a person using the admin's session (a token says its own).
SESSION_RATE = 300


class PersonalTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <token>``: a token that is sent must be valid; a wrong,
    revoked or expired one is a 401, never a fall-back to another identity."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        scheme, _, key = header.partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            raise exceptions.AuthenticationFailed(
                "Send your personal access token as 'Authorization: Bearer <token>' "
                "(make one in the admin, under My API tokens)."
            )
        try:
            token = PersonalToken.objects.get_from_key(key.strip())
        except PersonalToken.DoesNotExist:
            token = None
        if token is None or state_of(token) != TokenState.LIVE:
            raise exceptions.AuthenticationFailed(
                "This personal access token is not valid: it was revoked, has expired or "
                "never existed. Make a new one in the admin."
            )
        if not has_access(token.user):
            raise exceptions.AuthenticationFailed("The person this token belongs to has no access.")
        PersonalToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        request._request.api_key_prefix = token.prefix  # for the request log
        return (token.user, token)

    def authenticate_header(self, request) -> str:
        return self.keyword


class AdminSession(SessionAuthentication):
    """The admin's own session, for its scripts: CSRF-checked on every unsafe method."""

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is None or not has_access(found[0]):
            return None
        return found


class StaffPerson(BasePermission):
    """Every call is made by a person with access to the admin. What they may do beyond
    reading is the workflow's to decide, action by action."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if user is None or not user.is_authenticated:
            raise exceptions.NotAuthenticated(
                "Send your personal access token as 'Authorization: Bearer <token>'."
            )
        return has_access(user)


class PerTokenThrottle(BaseThrottle):
    """Each token at its own rate per minute (the admin's session by person), counted in the
    shared cache like the delivery keys' limits (``content.delivery.rates``)."""

    def allow_request(self, request, view) -> bool:
        token = request.auth if isinstance(request.auth, PersonalToken) else None
        if token is not None:
            identity, limit = f"manage:token:{token.prefix}", token.requests_per_minute
        elif request.user is not None and request.user.is_authenticated:
            identity, limit = f"manage:user:{request.user.pk}", SESSION_RATE
        else:
            return True  # refused by StaffPerson
        count, window_ends = rates.hit(identity, limit)
        self.wait_seconds = max(1, math.ceil(window_ends - time.time()))
        return count <= limit

    def wait(self) -> int:
        return self.wait_seconds
