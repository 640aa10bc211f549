"""Locales in the admin: reviewers list, add and change them through the workflow; a code
that is not a language tag, or a fallback chain that would loop, is refused on the form with
what was typed kept; nobody else changes them, and nobody deletes them."""

from __future__ import annotations

from html import unescape

import pytest
from django.urls import reverse

from content.models import Locale

from .pages import logged_in, messages_of, text

pytestmark = pytest.mark.django_db

LIST = reverse("admin:content_locale_changelist")
ADD = reverse("admin:content_locale_add")


def change_url(code: str) -> str:
    return reverse("admin:content_locale_change", args=[Locale.objects.get(code=code).pk])


def test_a_reviewer_adds_a_locale_falling_back_to_another(locales, reviewer):
    client = logged_in(reviewer)
    form = client.get(ADD)
    assert dict(form.context["form"].fields["fallback"].choices) == {
        "": "English (en), the source language",
        "es": "Español (es)",
        "pt": "Português (pt)",
        "pt-BR": "Português (Brasil) (pt-BR)",
    }

    added = client.post(ADD, {"code": "es-mx", "name": "Español (México)", "fallback": "es"})

    assert added.status_code == 302 and added["Location"] == LIST
    locale = Locale.objects.get(code="es-MX")
    assert (locale.name, locale.fallback.code) == ("Español (México)", "es")
    listing = text(client.get(LIST))
    assert "es-MX" in listing and "Español (es)" in listing


def test_a_code_that_is_no_language_tag_is_refused_on_its_field(locales, reviewer):
    page = logged_in(reviewer).post(ADD, {"code": "spanish!", "name": "Spanish", "fallback": ""})

    assert page.status_code == 200
    assert page.context["form"].errors["code"] == [
        "'spanish!' is not a BCP 47 language tag such as 'es' or 'pt-BR'."
    ]
    assert page.context["form"]["name"].value() == "Spanish"
    assert not Locale.objects.filter(name="Spanish").exists()


def test_a_reviewer_renames_a_locale_and_changes_its_fallback(locales, reviewer):
    client = logged_in(reviewer)
    page = client.get(change_url("pt-BR"))
    assert "code" not in page.context["form"].fields  # apps ask for it: never changed
    assert page.context["form"]["fallback"].value() == "pt"

    saved = client.post(change_url("pt-BR"), {"name": "Brasileiro", "fallback": ""}, follow=True)

    assert messages_of(saved) == ["Brasileiro (pt-BR) saved; apps are served it as it says now."]
    locale = Locale.objects.get(code="pt-BR")
    assert (locale.name, locale.fallback) == ("Brasileiro", None)


def test_a_fallback_that_would_loop_is_refused_and_what_was_typed_stays(locales, reviewer):
    # pt-BR falls back to pt: pt falling back to pt-BR would loop.
    page = logged_in(reviewer).post(
        change_url("pt"), {"name": "Português europeu", "fallback": "pt-BR"}
    )

    assert page.status_code == 200
    assert page.context["form"].errors["fallback"] == [
        "Falling back to 'pt-BR' would loop back to 'pt'."
    ]
    assert page.context["form"]["name"].value() == "Português europeu"
    assert "would loop back to" in unescape(text(page))
    locale = Locale.objects.get(code="pt")
    assert (locale.name, locale.fallback) == ("Português", None)


def test_only_reviewers_add_or_change_locales_and_nobody_deletes_one(
    locales, reviewer, editor, translator
):
    for person in (editor, translator):
        client = logged_in(person)
        assert client.get(LIST).status_code == 200
        assert client.get(ADD).status_code == 403
        page = client.get(change_url("es"))
        assert page.context["form"] is None
        assert client.post(change_url("es"), {"name": "Castellano"}).status_code == 403
    delete = reverse("admin:content_locale_delete", args=[Locale.objects.get(code="es").pk])
    assert logged_in(reviewer).post(delete, {"post": "yes"}).status_code == 403
    assert Locale.objects.get(code="es").name == "Español"
