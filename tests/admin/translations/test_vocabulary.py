"""The vocabularies' translations in the admin: translators write a contraindication's or
goal's name and description in a locale, a reviewer who did not write it approves it (the
writer is refused, with the domain's words), and the lists say which wait."""

from __future__ import annotations

import pytest
from django.urls import reverse

from content.models import ContraindicationTranslation, GoalTranslation
from tests.factories import ContraindicationFactory, GoalFactory, UserFactory

from .pages import logged_in, messages_of, text

pytestmark = pytest.mark.django_db

LIST = reverse("admin:content_contraindicationtranslation_changelist")
ADD = reverse("admin:content_contraindicationtranslation_add")


def change_url(translation) -> str:
    name = type(translation)._meta.model_name
    return reverse(f"admin:content_{name}_change", args=[translation.pk])


@pytest.fixture
def glaucoma(db):
    return ContraindicationFactory(
        slug="glaucoma", name="Glaucoma", description="Raised eye pressure."
    )


def _served_description(client) -> str:
    """What apps asking for Spanish are served as glaucoma's description."""
    rows = client.get("/api/v1/contraindications/?locale=es").json()["results"]
    return next(row for row in rows if row["slug"] == "glaucoma")["description"]


def _write(client, **changes):
    data = {
        "entry": "glaucoma",
        "locale": "es",
        "name": "Glaucoma",
        "description": "Presión ocular alta.",
    }
    return client.post(ADD, {**data, **changes}, follow=True)


def test_a_translator_writes_it_and_another_reviewer_approves_it(
    client, locales, glaucoma, translator, reviewer
):
    written = _write(logged_in(translator))
    assert _served_description(client) == "Raised eye pressure."  # not approved: the source's
    translation = ContraindicationTranslation.objects.get()
    assert written.redirect_chain[-1][0] == change_url(translation)
    assert (translation.written_by, translation.approved) == (translator, False)
    assert "Approve" not in text(written)  # translators do not approve
    as_reviewer = logged_in(reviewer)
    waiting = as_reviewer.get(f"{LIST}?approved=no")
    assert list(waiting.context["cl"].result_list) == [translation]
    assert "Waiting for approval" in text(waiting)
    page = as_reviewer.get(change_url(translation))
    assert page.context["form"] is None  # reviewers read and approve; translators write
    assert 'id="approve-form"' in text(page)

    approved = as_reviewer.post(change_url(translation), {"_approve": "yes"}, follow=True)

    assert messages_of(approved) == [
        "Glaucoma (glaucoma) in Español is approved: apps asking for 'es' are served 'Glaucoma'."
    ]
    translation.refresh_from_db()
    assert (translation.approved_by, translation.approved) == (reviewer, True)
    assert list(as_reviewer.get(f"{LIST}?approved=yes").context["cl"].result_list) == [translation]
    assert list(as_reviewer.get(f"{LIST}?locale=es").context["cl"].result_list) == [translation]
    assert list(as_reviewer.get(f"{LIST}?locale=pt").context["cl"].result_list) == []
    assert 'id="approve-form"' not in text(as_reviewer.get(change_url(translation)))
    assert _served_description(client) == "Presión ocular alta."


def test_the_writer_cannot_approve_their_own_translation(locales, glaucoma):
    both = UserFactory(is_staff=True, groups=["Translators", "Reviewers"])
    client = logged_in(both)
    _write(client)
    translation = ContraindicationTranslation.objects.get()

    refused = client.post(change_url(translation), {"_approve": "yes"}, follow=True)
    said = "Glaucoma (glaucoma), es: You wrote this translation, so someone else must approve it."
    assert messages_of(refused) == [said]
    by_action = client.post(
        LIST, {"action": "approve_selected", "_selected_action": [translation.pk]}, follow=True
    )
    assert messages_of(by_action) == [said]
    translation.refresh_from_db()
    assert not translation.approved


def test_changing_an_approved_translation_waits_for_approval_again(
    locales, glaucoma, translator, reviewer
):
    as_translator = logged_in(translator)
    _write(as_translator)
    translation = ContraindicationTranslation.objects.get()
    logged_in(reviewer).post(change_url(translation), {"_approve": "yes"})

    changed = as_translator.post(
        change_url(translation), {"name": "Glaucoma crónico", "description": ""}, follow=True
    )

    assert messages_of(changed)[0].startswith("Saved. Waiting for a reviewer's approval")
    translation.refresh_from_db()
    assert (translation.name, translation.approved) == ("Glaucoma crónico", False)
    assert logged_in(reviewer).post(change_url(translation), {"name": "x"}).status_code == 403


def test_a_name_left_empty_is_refused_on_the_form(locales, glaucoma, translator):
    page = _write(logged_in(translator), name="")
    assert page.context["form"].errors["name"] == ["This field is required."]
    assert page.context["form"]["description"].value() == "Presión ocular alta."
    assert not ContraindicationTranslation.objects.exists()


def test_goals_are_translated_and_approved_the_same_way(locales, translator, reviewer):
    GoalFactory(slug="sleep", name="Sleep")
    add = reverse("admin:content_goaltranslation_add")
    logged_in(translator).post(add, {"entry": "sleep", "locale": "pt", "name": "Sono"})
    translation = GoalTranslation.objects.get()

    logged_in(reviewer).post(change_url(translation), {"_approve": "yes"})

    translation.refresh_from_db()
    assert (translation.name, translation.approved) == ("Sono", True)
    assert logged_in(reviewer).get(add).status_code == 403  # reviewers approve, never write
