"""The admin login's limits, on django-axes: per username and address, and per address.

- ``AXES_FAILURE_LIMIT`` (5) failures for one username from one address lock that pair out:
  a reviewer mistyping, or someone guessing one account's password from one place, is stopped
  there, and the same reviewer still logs in from anywhere else.
- ``AXES_ADDRESS_FAILURE_LIMIT`` (20) failures from one address, whatever the usernames, lock
  that address out for every username: password spraying (one guess per account) is stopped.

Both count failures within ``AXES_COOLOFF_TIME`` and lock for it. The address is the client's
(``AXES_CLIENT_IP_CALLABLE``: ``recovery.clients.client_address``).

Why a handler and not a second entry in ``AXES_LOCKOUT_PARAMETERS``: axes 8 sums the failures
matching each combination there, takes the largest sum and compares it with the one
``AXES_FAILURE_LIMIT`` (``AxesDatabaseHandler.get_failures``, ``AxesBaseHandler.is_locked``);
it has no limit per combination. Listing ``"ip_address"`` beside ``["username", "ip_address"]``
would lock an address after 5 failures across all usernames, and a successful login would
delete the failures of every combination (``AXES_RESET_ON_SUCCESS`` goes through the same
filters), so a sprayer holding one account could clear its address's count with it. The
lockout parameters keep the pair, which a success resets, and this handler (``AXES_HANDLER``,
axes' extension point) adds the address's count, which only the cool-off clears.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


class LoginLimitsHandler(AxesDatabaseHandler):
    """axes' database handler, with the limit per address across usernames."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """The failures axes compares with ``AXES_FAILURE_LIMIT`` (to refuse a login, and to
        lock out after a failure): the (username, address) pair's, or at least the limit once
        the address has reached ``AXES_ADDRESS_FAILURE_LIMIT``."""
        failures = super().get_failures(request, credentials)
        if address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures


def address_failures(request: HttpRequest) -> int:
    """Failed logins from the request's client address, for any username, within the
    cool-off (as axes counts a pair's: by each attempt row's latest failure)."""
    attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
