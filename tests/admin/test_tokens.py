"""My API tokens, over HTTP with Django's test client: every person in the admin makes their
own personal access tokens (the key shown once, stored only hashed, with its expiry), lists
them and revokes them after a confirmation; nobody sees or revokes anyone else's; a refusal
keeps what was typed; people without access to the admin never reach the page."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from content.models import PersonalToken
from content.workflow.tokens import MAX_LIVE, create_personal_token
from tests.factories import (
    EditorFactory,
    ReviewerFactory,
    SuperuserFactory,
    TranslatorFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("admin:content_personaltoken_changelist")
ADD = reverse("admin:content_personaltoken_add")
KEY = re.compile(r'<code class="token-key" id="token-key">([^<]+)</code>')


def revoke_url(token: PersonalToken) -> str:
    return reverse("admin:content_personaltoken_revoke", args=[token.prefix])


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def key_on(response) -> str:
    found = KEY.search(response.content.decode())
    assert found, "the page shows no key"
    return found.group(1)


@pytest.fixture
def editor():
    return EditorFactory(is_staff=True)


@pytest.fixture
def other():
    return ReviewerFactory(is_staff=True)


# --- Making one: the key once, only its hash kept -------------------------------------------


def test_an_editor_makes_a_token_and_sees_its_key_once_and_never_again(editor):
    client = logged_in(editor)
    form = client.get(ADD)
    assert form.status_code == 200
    assert 'name="expires_in_days"' in form.content.decode()

    made = client.post(ADD, {"name": "  Import script  ", "expires_in_days": "30"})

    assert made.status_code == 200
    key = key_on(made)
    token = PersonalToken.objects.get()
    assert (token.user, token.name, token.revoked) == (editor, "Import script", False)
    html = made.content.decode()
    assert f"Authorization: Bearer {key}" in html
    assert "http://testserver/api/manage/v1/" in html
    assert "no-store" in made["Cache-Control"]
    # The list, and every page after, shows its prefix only.
    listed = client.get(LIST).content.decode()
    assert token.prefix in listed and "Import script" in listed
    assert key not in listed
    assert key not in client.get(ADD).content.decode()
    assert key not in client.get(revoke_url(token)).content.decode()
    assert key not in client.get(reverse("admin:index")).content.decode()


def test_a_token_is_stored_only_as_a_hash_and_opens_the_api_as_its_maker(editor):
    made = logged_in(editor).post(ADD, {"name": "Laptop", "expires_in_days": "90"})
    key = key_on(made)

    token = PersonalToken.objects.get()
    assert key.startswith(token.prefix + ".")
    assert PersonalToken.objects.get_from_key(key) == token
    assert PersonalToken.objects.is_valid(key)
    secret = key.partition(".")[2]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {PersonalToken._meta.db_table}")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert secret not in stored and key not in stored


@pytest.mark.parametrize("days", [1, 90, 365])
def test_a_token_expires_in_the_days_asked_for(editor, days):
    before = timezone.now()
    made = logged_in(editor).post(ADD, {"name": "Nightly export", "expires_in_days": str(days)})
    after = timezone.now()

    token = PersonalToken.objects.get()
    assert before + timedelta(days=days) <= token.expiry_date <= after + timedelta(days=days)
    assert f"{timezone.localtime(token.expiry_date):%Y-%m-%d %H:%M}" in made.content.decode()


def test_the_form_offers_ninety_days_first(editor):
    form = logged_in(editor).get(ADD).content.decode()
    assert re.search(r'name="expires_in_days" value="90"', form)


@pytest.mark.parametrize("factory", [EditorFactory, ReviewerFactory, TranslatorFactory])
def test_every_role_in_the_admin_makes_its_own_tokens(factory):
    person = factory(is_staff=True)
    client = logged_in(person)
    home = client.get(reverse("admin:index")).content.decode()
    assert f'href="{LIST}"' in home

    made = client.post(ADD, {"name": "My script", "expires_in_days": "7"})

    assert made.status_code == 200 and key_on(made)
    assert PersonalToken.objects.get().user == person


def test_making_one_is_logged_without_its_key(editor, caplog):
    with caplog.at_level(logging.INFO, logger="content.workflow.tokens"):
        key = key_on(logged_in(editor).post(ADD, {"name": "CI", "expires_in_days": "10"}))
    token = PersonalToken.objects.get()
    assert any(token.prefix in record.getMessage() for record in caplog.records)
    assert all(key.partition(".")[2] not in record.getMessage() for record in caplog.records)


# --- Refusals keep the typing ------------------------------------------------------------


@pytest.mark.parametrize(
    "name, days, field, message",
    [
        ("   ", "30", "name", "Give the token a name"),
        ("x" * 51, "30", "name", "at most 50 characters; this one has 51"),
        ("Import script", "0", "expires_in_days", "from 1 to 365 days; 0 is out of that range"),
        ("Import script", "366", "expires_in_days", "366 is out of that range"),
        ("Import script", "a month", "expires_in_days", "a whole number from 1 to 365"),
        ("Import script", "", "expires_in_days", "Say in how many days the token expires"),
    ],
)
def test_a_refused_token_keeps_what_was_typed(editor, name, days, field, message):
    refused = logged_in(editor).post(ADD, {"name": name, "expires_in_days": days})

    assert refused.status_code == 200
    form = refused.context["form"]
    assert any(message in error for error in form.errors[field])
    html = refused.content.decode()
    assert message.replace("'", "&#x27;") in html
    assert f'value="{name}"' in html
    if days:
        assert f'value="{days}"' in html
    assert not PersonalToken.objects.exists()
    assert not KEY.search(html)


def test_a_person_has_at_most_twenty_live_tokens(editor):
    for number in range(MAX_LIVE):
        create_personal_token(user=editor, name=f"Token {number}", expires_in_days=30)
    client = logged_in(editor)
    assert f"Live tokens: <strong>{MAX_LIVE}</strong>" in client.get(LIST).content.decode()

    refused = client.post(ADD, {"name": "One more", "expires_in_days": "30"})

    assert "You have 20 live tokens, the most one person may have" in refused.content.decode()
    assert 'value="One more"' in refused.content.decode()
    assert PersonalToken.objects.count() == MAX_LIVE
    # Revoked and expired tokens do not count.
    first = PersonalToken.objects.order_by("created").first()
    client.post(revoke_url(first))
    PersonalToken.objects.filter(pk=PersonalToken.objects.order_by("created")[1].pk).update(
        expiry_date=timezone.now() - timedelta(minutes=1)
    )
    assert key_on(client.post(ADD, {"name": "One more", "expires_in_days": "30"}))
    assert key_on(client.post(ADD, {"name": "And another", "expires_in_days": "30"}))


# --- Listing and revoking ------------------------------------------------------------------


def test_the_list_shows_each_tokens_dates_and_state(editor):
    live, _ = create_personal_token(user=editor, name="Live one", expires_in_days=30)
    used, _ = create_personal_token(user=editor, name="Used one", expires_in_days=30)
    PersonalToken.objects.filter(pk=used.pk).update(last_used_at=timezone.now())
    expired, _ = create_personal_token(user=editor, name="Old one", expires_in_days=30)
    PersonalToken.objects.filter(pk=expired.pk).update(
        expiry_date=timezone.now() - timedelta(days=1)
    )

    page = logged_in(editor).get(LIST)

    rows = {token.name: state for token, state in page.context["rows"]}
    assert rows == {"Live one": "live", "Used one": "live", "Old one": "expired"}
    html = page.content.decode()
    assert f'href="{revoke_url(live)}"' in html
    assert f'href="{revoke_url(expired)}"' not in html
    assert f"{timezone.localtime(live.expiry_date):%Y-%m-%d %H:%M}" in html
    assert html.count(">never</td>") == 2  # last used: the live and the old one
    assert "Live tokens: <strong>2</strong>" in html


def test_a_token_is_revoked_through_the_page_after_a_confirmation(editor):
    token, key = create_personal_token(user=editor, name="Import script", expires_in_days=30)
    client = logged_in(editor)

    confirm = client.get(revoke_url(token))
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "Revoke the token “Import script”" in html
    assert "This cannot be undone" in html and 'id="confirm-cancel"' in html
    token.refresh_from_db()
    assert not token.revoked  # asking is not doing

    revoked = client.post(revoke_url(token), follow=True)

    token.refresh_from_db()
    assert token.revoked
    assert not PersonalToken.objects.is_valid(key)
    assert any("is revoked" in message for message in messages_of(revoked))
    assert [state for _, state in revoked.context["rows"]] == ["revoked"]
    assert f'href="{revoke_url(token)}"' not in revoked.content.decode()

    again = client.post(revoke_url(token), follow=True)
    assert any("was revoked already" in message for message in messages_of(again))


def test_another_persons_tokens_are_never_listed_nor_revocable(editor, other):
    theirs, key = create_personal_token(user=other, name="Their secret tool", expires_in_days=30)
    client = logged_in(editor)

    listed = client.get(LIST).content.decode()
    assert theirs.prefix not in listed and "Their secret tool" not in listed
    assert "You have no tokens yet" in listed

    looked = client.get(revoke_url(theirs), follow=True)
    assert "Their secret tool" not in looked.content.decode()
    assert any("this one is not yours" in m for m in messages_of(looked))

    crafted = client.post(revoke_url(theirs), follow=True)
    assert crafted.status_code == 200
    assert any("this one is not yours" in m for m in messages_of(crafted))
    theirs.refresh_from_db()
    assert not theirs.revoked and PersonalToken.objects.is_valid(key)
    # Nor is there any other page of a token to reach it through.
    assert client.get(f"{LIST}{theirs.pk}/change/").status_code == 404


def test_a_superuser_may_revoke_anyones_token(other):
    theirs, _ = create_personal_token(user=other, name="Leaked", expires_in_days=30)
    admin = SuperuserFactory()

    client = logged_in(admin)
    assert "Leaked" not in client.get(LIST).content.decode()  # their own list only
    client.post(revoke_url(theirs))

    theirs.refresh_from_db()
    assert theirs.revoked


def test_an_unknown_prefix_is_said_not_a_server_error(editor):
    answer = logged_in(editor).post(
        reverse("admin:content_personaltoken_revoke", args=["nosuchtk"]), follow=True
    )
    assert answer.status_code == 200
    assert any("No token has the prefix 'nosuchtk'" in m for m in messages_of(answer))


# --- Who reaches the page ------------------------------------------------------------------


def test_people_without_access_to_the_admin_never_reach_the_page(other):
    theirs, _ = create_personal_token(user=other, name="Theirs", expires_in_days=30)
    outsider = EditorFactory(is_staff=False)
    client = logged_in(outsider)

    for answer in (
        client.get(LIST),
        client.get(ADD),
        client.post(ADD, {"name": "Sneaky", "expires_in_days": "30"}),
        client.post(revoke_url(theirs)),
    ):
        assert answer.status_code == 302 and answer["Location"].startswith("/admin/login/")
    assert list(PersonalToken.objects.values_list("name", flat=True)) == ["Theirs"]
    assert Client().get(LIST).status_code == 302


def test_the_pages_need_no_inline_script_or_style(editor):
    token, _ = create_personal_token(user=editor, name="Script", expires_in_days=30)
    client = logged_in(editor)
    pages = [
        client.get(LIST),
        client.get(ADD),
        client.get(revoke_url(token)),
        client.post(ADD, {"name": "Another", "expires_in_days": "30"}),
    ]
    for page in pages:
        html = page.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
        assert not re.search(r"\son[a-z]+=", html)
        assert " style=" not in html


def test_the_list_costs_five_queries_for_one_token_or_many(editor):
    client = logged_in(editor)
    create_personal_token(user=editor, name="First", expires_in_days=30)
    # The session, the person, their tokens, and the permissions the sidebar asks (twice).
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    for number in range(8):
        create_personal_token(user=editor, name=f"More {number}", expires_in_days=30)
    with CaptureQueriesContext(connection) as many:
        client.get(LIST)
    assert (len(one), len(many)) == (5, 5)


def test_making_a_token_costs_a_fixed_number_of_queries(editor):
    client = logged_in(editor)
    client.get(LIST)
    with CaptureQueriesContext(connection) as made:
        key_on(client.post(ADD, {"name": "Import", "expires_in_days": "30"}))
    statements = [q["sql"] for q in made.captured_queries if "SAVEPOINT" not in q["sql"]]
    # The session and the person; the person locked, their live tokens counted; the row
    # (the library tries an UPDATE of its new key first); the sidebar's permissions.
    assert len(statements) == 8, "\n".join(statements)


def test_the_key_opens_the_editorial_api_as_its_maker_until_revoked(editor):
    client = logged_in(editor)
    key = key_on(client.post(ADD, {"name": "Import script", "expires_in_days": "30"}))
    api = Client()
    items = "/api/manage/v1/items/"

    assert api.get(items, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    token = PersonalToken.objects.get()
    assert token.last_used_at is not None

    client.post(revoke_url(token))
    assert api.get(items, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
