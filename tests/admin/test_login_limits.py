"""The admin login's limits behind a TLS load balancer, over HTTP: per username and client
address, and per client address across usernames (recovery.clients, recovery.login_limits)."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import ReviewerFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # the factories' password
BALANCER = "10.0.0.1"
CLIENT = "203.0.113.5"
ELSEWHERE = "198.51.100.7"


def log_in(username: str, password: str, *, forwarded_for: str | None, remote=BALANCER) -> str:
    """One login through the admin's form, from a new browser, as the balancer forwards it:
    "logged in", "refused" (the form again, with its error) or "locked out"."""
    browser = Client()
    headers = {} if forwarded_for is None else {"HTTP_X_FORWARDED_FOR": forwarded_for}
    response = browser.post(
        reverse("admin:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=remote,
        **headers,
    )
    if response.status_code == 429:
        return "locked out"
    if response.status_code == 302 and "_auth_user_id" in browser.session:
        return "logged in"
    assert response.status_code == 200, response.status_code
    assert "_auth_user_id" not in browser.session
    return "refused"


@pytest.fixture(autouse=True)
def one_trusted_proxy():
    """The balancer appends the address it saw to X-Forwarded-For (overridden where not)."""
    with override_settings(TRUSTED_PROXIES=1):
        yield


@pytest.fixture
def reviewer_a():
    return ReviewerFactory(is_staff=True)


@pytest.fixture
def reviewer_b():
    return ReviewerFactory(is_staff=True)


def test_wrong_passwords_lock_a_reviewer_out_from_that_client_only(
    settings, reviewer_a, reviewer_b
):
    limit = settings.AXES_FAILURE_LIMIT
    outcomes = [log_in(reviewer_a.username, "wrong", forwarded_for=CLIENT) for _ in range(limit)]
    assert outcomes == ["refused"] * (limit - 1) + ["locked out"]
    assert log_in(reviewer_a.username, PASSWORD, forwarded_for=CLIENT) == "locked out"

    # Through the same balancer, from another client: A's own password works.
    assert log_in(reviewer_a.username, PASSWORD, forwarded_for=ELSEWHERE) == "logged in"
    # From the locked client, another username is not locked by A's failures.
    assert log_in(reviewer_b.username, PASSWORD, forwarded_for=CLIENT) == "logged in"


def test_a_client_spraying_usernames_is_locked_out_for_every_username(settings, reviewer_a):
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    assert limit == 20  # the default
    sprayed = [log_in(f"guess{n}", "Summer2026!", forwarded_for=CLIENT) for n in range(limit)]
    assert sprayed == ["refused"] * (limit - 1) + ["locked out"]

    # Every username is locked from that client, one it never tried with the right password too.
    assert log_in(reviewer_a.username, PASSWORD, forwarded_for=CLIENT) == "locked out"
    assert log_in("guess-new", "Summer2026!", forwarded_for=CLIENT) == "locked out"
    # Other clients behind the same balancer are not.
    assert log_in(reviewer_a.username, PASSWORD, forwarded_for=ELSEWHERE) == "logged in"
    assert log_in("guess0", "Summer2026!", forwarded_for="192.0.2.44") == "refused"


def test_a_successful_login_does_not_clear_the_address_count(settings, reviewer_a):
    # A sprayer holding one account cannot log in with it to start counting again.
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    for n in range(limit - 1):
        assert log_in(f"guess{n}", "Summer2026!", forwarded_for=CLIENT) == "refused"
    assert log_in(reviewer_a.username, PASSWORD, forwarded_for=CLIENT) == "logged in"
    assert log_in("guess-last", "Summer2026!", forwarded_for=CLIENT) == "locked out"


def test_a_client_cannot_escape_its_lockout_by_prepending_addresses(settings, reviewer_a):
    # The client sends an X-Forwarded-For of its own; the balancer appends what it saw.
    forged = [f"192.0.2.{n}, {CLIENT}" for n in range(settings.AXES_FAILURE_LIMIT)]
    outcomes = [log_in(reviewer_a.username, "wrong", forwarded_for=f) for f in forged]
    assert outcomes[-1] == "locked out"
    assert log_in(reviewer_a.username, PASSWORD, forwarded_for=f"{ELSEWHERE}, {CLIENT}") == (
        "locked out"
    )
    sprayed = [
        log_in(f"guess{n}", "x", forwarded_for=f"192.0.2.{n}, {CLIENT}")
        for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT)
    ]
    assert "locked out" in sprayed
    assert log_in("guess-new", "x", forwarded_for=f"198.51.100.99, {CLIENT}") == "locked out"


@override_settings(TRUSTED_PROXIES=0)
def test_without_trusted_proxies_a_forged_forwarded_for_is_ignored(settings, reviewer_a):
    # No balancer: REMOTE_ADDR is the client, whatever X-Forwarded-For it sends.
    forged = [f"192.0.2.{n}" for n in range(settings.AXES_FAILURE_LIMIT)]
    outcomes = [
        log_in(reviewer_a.username, "wrong", forwarded_for=f, remote=CLIENT) for f in forged
    ]
    assert outcomes[-1] == "locked out"
    assert log_in(reviewer_a.username, PASSWORD, forwarded_for=ELSEWHERE, remote=CLIENT) == (
        "locked out"
    )
    # Naming the locked client in the header gives another client nothing of its lockout.
    assert log_in(reviewer_a.username, PASSWORD, forwarded_for=CLIENT, remote=ELSEWHERE) == (
        "logged in"
    )


@pytest.mark.parametrize(
    "forwarded",
    [None, "", "unknown", "203.0.113.5.6", "fe80::1%eth0", "[2001:db8::1", "\x00", "é" * 5000],
    ids=["absent", "empty", "word", "five-parts", "zone-id", "open-bracket", "nul", "long"],
)
def test_a_malformed_forwarded_for_is_never_an_error(forwarded, reviewer_a):
    assert log_in(reviewer_a.username, "wrong", forwarded_for=forwarded) == "refused"
    assert log_in(reviewer_a.username, PASSWORD, forwarded_for=forwarded) == "logged in"
    page = Client().get(
        reverse("admin:login"), REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR=(forwarded or "")
    )
    assert page.status_code == 200


def test_a_malformed_forwarded_for_counts_against_the_connecting_address(settings, reviewer_a):
    # The safe fallback: a header that cannot be read never gives a fresh address.
    limit = settings.AXES_FAILURE_LIMIT
    outcomes = [
        log_in(reviewer_a.username, "wrong", forwarded_for=f"not-an-address-{n}")
        for n in range(limit)
    ]
    assert outcomes[-1] == "locked out"
    assert log_in(reviewer_a.username, PASSWORD, forwarded_for="garbage") == "locked out"
    assert log_in(reviewer_a.username, PASSWORD, forwarded_for=ELSEWHERE) == "logged in"
