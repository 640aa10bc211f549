"""The client's address behind a configured number of trusted proxies (recovery.clients)."""

import ipaddress

import pytest
from django.test import RequestFactory, override_settings
from hypothesis import given
from hypothesis import strategies as st

from recovery.clients import client_address

BALANCER = "10.0.0.1"


def request_from(forwarded_for: str | None = None, remote: str = BALANCER):
    headers = {} if forwarded_for is None else {"HTTP_X_FORWARDED_FOR": forwarded_for}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


@override_settings(TRUSTED_PROXIES=0)
def test_without_trusted_proxies_the_forwarded_header_is_never_read():
    assert client_address(request_from("203.0.113.5", remote="198.51.100.7")) == "198.51.100.7"


@override_settings(TRUSTED_PROXIES=1)
def test_behind_one_proxy_the_client_is_the_address_it_appended():
    assert client_address(request_from("203.0.113.5")) == "203.0.113.5"


@override_settings(TRUSTED_PROXIES=1)
def test_addresses_the_client_sent_itself_are_ignored():
    assert client_address(request_from("192.0.2.1, 198.51.100.7, 203.0.113.5")) == "203.0.113.5"


@override_settings(TRUSTED_PROXIES=2)
def test_behind_two_proxies_the_client_is_the_address_the_outer_one_appended():
    forwarded = "192.0.2.1, 203.0.113.5, 10.0.0.2"  # forged, client (outer proxy), outer proxy
    assert client_address(request_from(forwarded)) == "203.0.113.5"


@override_settings(TRUSTED_PROXIES=2)
def test_fewer_entries_than_proxies_fall_back_to_the_connecting_address():
    # Whoever sent this did not pass both proxies: its one entry could be its own choice.
    assert client_address(request_from("203.0.113.5")) == BALANCER


@override_settings(TRUSTED_PROXIES=1)
def test_no_forwarded_header_falls_back_to_the_connecting_address():
    assert client_address(request_from(None)) == BALANCER


@override_settings(TRUSTED_PROXIES=1)
@pytest.mark.parametrize(
    "forwarded",
    ["", " ", ",", "unknown", "203.0.113", "203.0.113.5.6", "999.0.0.1", "[2001:db8::1",
     "fe80::1%eth0", "203.0.113.5:80:80", "éé", "\x00", "a" * 10_000],
    ids=lambda forwarded: repr(forwarded[:20]),
)  # fmt: skip
def test_a_malformed_entry_falls_back_to_the_connecting_address(forwarded):
    assert client_address(request_from(forwarded)) == BALANCER


@override_settings(TRUSTED_PROXIES=1)
@pytest.mark.parametrize(
    ("forwarded", "address"),
    [
        ("203.0.113.5:4711", "203.0.113.5"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("2001:DB8:0:0::1", "2001:db8::1"),
        ("  203.0.113.5  ", "203.0.113.5"),
    ],
)
def test_the_forms_proxies_write_give_one_normalised_address(forwarded, address):
    assert client_address(request_from(forwarded)) == address


def test_the_setting_is_read_at_each_call():
    request = request_from("203.0.113.5")
    with override_settings(TRUSTED_PROXIES=1):
        assert client_address(request) == "203.0.113.5"
    with override_settings(TRUSTED_PROXIES=0):
        assert client_address(request) == BALANCER


@given(sent=st.text())
def test_nothing_a_client_sends_changes_the_address_its_proxy_appended(sent):
    # The balancer appends the address it saw to whatever X-Forwarded-For the client sent.
    with override_settings(TRUSTED_PROXIES=1):
        assert client_address(request_from(f"{sent}, 203.0.113.5")) == "203.0.113.5"
    with override_settings(TRUSTED_PROXIES=0):
        assert client_address(request_from(f"{sent}, 203.0.113.5")) == BALANCER


@given(forwarded=st.text(), proxies=st.integers(min_value=0, max_value=4))
def test_any_header_gives_an_address_the_database_can_store(forwarded, proxies):
    with override_settings(TRUSTED_PROXIES=proxies):
        address = client_address(request_from(forwarded))
    assert str(ipaddress.ip_address(address)) == address
    assert "%" not in address
