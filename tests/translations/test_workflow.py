"""Translations go through the same workflow as the content they translate: written by
translators, reviewed by someone who did not write them, frozen once submitted, bound to
the source version they translate and refused once it is no longer the published one."""

from dataclasses import replace

import pytest
from django.contrib.auth.models import Group

from content import workflow
from content.errors import ContentInvalid, InvalidTransition, PermissionRefused
from content.models import AuditEntry, Event, Version
from tests import builders
from tests.factories import EditorFactory, ReviewerFactory, TranslatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(locales, publish):
    return publish("legs-up", kind="yoga", caution=["pregnancy"])


def test_only_translators_translate_and_they_cannot_touch_the_source(source, translator, people):
    editor = people[0]
    with pytest.raises(PermissionRefused, match="translator"):
        workflow.start_translation(item=source.item, locale="es", user=editor)
    draft = workflow.revise(version=source, user=editor)
    with pytest.raises(PermissionRefused):
        workflow.edit_draft(
            version=draft,
            user=translator,
            content=workflow.read_content(draft),
            expected_edit_count=draft.edit_count,
        )


def test_whoever_wrote_a_translation_never_reviews_it_reviewer_or_superuser(source, people):
    both = TranslatorFactory()
    both.groups.add(Group.objects.get(name="Reviewers"))
    draft = builders.translation_of(source, "es", both)
    submitted = workflow.submit_for_review(version=draft, user=both)
    with pytest.raises(PermissionRefused, match="someone else must review"):
        workflow.approve(version=submitted, user=both, seen_hash=submitted.content_hash)
    approved = workflow.approve(version=submitted, user=people[1], seen_hash=submitted.content_hash)
    assert approved.state == "approved"
    assert set(AuditEntry.objects.filter(version=approved).values_list("action", flat=True)) == {
        "create",
        "submit",
        "approve",
    }


def test_an_untranslated_caution_or_step_cannot_be_submitted(source, translator):
    text = workflow.source_text(source)
    draft = builders.translation_of(source, "es", translator, notes={})
    with pytest.raises(ContentInvalid) as refused:
        workflow.submit_for_review(version=draft, user=translator)
    assert (
        "notes.contraindications[pregnancy]: translate this note." in refused.value.errors["notes"]
    )
    assert Version.objects.get(pk=draft.pk).state == "draft"
    steps = text["details"]["steps"]
    with pytest.raises(ContentInvalid, match=f"a list of {len(steps)} texts"):
        workflow.edit_draft(
            version=draft,
            user=translator,
            content=replace(workflow.read_content(draft), details={"steps": steps[:1]}),
            expected_edit_count=draft.edit_count,
        )


@pytest.mark.parametrize(
    "details", [{"level": "avanzado"}, {"duration_minutes": 5}], ids=["enumeration", "number"]
)
def test_a_translation_cannot_say_structured_data(source, translator, details):
    draft = builders.translation_of(source, "es", translator)
    with pytest.raises(ContentInvalid, match="not a text field of the source"):
        workflow.edit_draft(
            version=draft,
            user=translator,
            content=replace(workflow.read_content(draft), details=details),
            expected_edit_count=draft.edit_count,
        )


def test_a_submitted_translation_is_frozen(source, translator):
    draft = builders.translation_of(source, "es", translator)
    submitted = workflow.submit_for_review(version=draft, user=translator)
    with pytest.raises(InvalidTransition, match="frozen"):
        workflow.edit_draft(
            version=submitted,
            user=translator,
            content=replace(workflow.read_content(submitted), title="Otro"),
            expected_edit_count=submitted.edit_count,
        )


def test_an_outdated_translation_is_refused_at_publication_and_revised_onto_the_new_source(
    source, translator, people
):
    editor, reviewer, second = people
    draft = builders.translation_of(source, "es", translator)
    approved = builders.approve_fully(
        workflow.submit_for_review(version=draft, user=translator), reviewer
    )
    newer = builders.republished(source, editor, reviewer, second, summary="A new caution.")
    with pytest.raises(InvalidTransition, match="outdated"):
        workflow.publish(version=approved, user=reviewer)

    rebased = workflow.start_translation(item=source.item, locale="es", user=translator)
    assert rebased.translates_id == newer.pk and rebased.source_hash == newer.content_hash
    assert rebased.title == approved.title  # the translator changes what the source changed
    assert Version.objects.get(pk=approved.pk).state == "superseded"


def test_a_translation_of_an_unpublished_item_cannot_start(locales, people, translator):
    draft = builders.draft(people[0], slug="not-yet")
    with pytest.raises(InvalidTransition, match="no published version to translate"):
        workflow.start_translation(item=draft.item, locale="es", user=translator)
    published = builders.published(people[0], slug="published-now")
    with pytest.raises(InvalidTransition, match="language content is written in"):
        workflow.start_translation(item=published.item, locale="en", user=translator)


def test_the_review_policy_is_per_kind_and_locale(source, translator, settings):
    settings.TRANSLATION_REVIEW_POLICY = {"es:yoga": {"approvals_required": 2}}
    spanish = workflow.submit_for_review(
        version=builders.translation_of(source, "es", translator), user=translator
    )
    assert workflow.approval_progress(spanish).required == 2
    portuguese = workflow.submit_for_review(
        version=builders.translation_of(source, "pt", translator), user=translator
    )
    assert workflow.approval_progress(portuguese).required == 1


def test_a_published_translation_is_an_event_naming_the_item_apps_know(source, translate):
    translation = translate(source, "es")
    body = Event.objects.filter(type="content.published").latest("occurred_at").body
    assert '"slug":"legs-up"' in body and '"locale":"es"' in body
    assert f'"translates_version":{source.number}' in body
    assert translation.item.slug == "legs-up@es"


def test_a_locale_chain_cannot_loop_and_a_change_is_served_at_once(
    client, locales, source, translate, people
):
    reviewer = people[1]
    with pytest.raises(ContentInvalid, match="loop"):
        workflow.change_locale(user=reviewer, code="pt", name="Português", fallback="pt-BR")
    with pytest.raises(PermissionRefused):
        workflow.add_locale(user=EditorFactory(), code="fr", name="Français")
    translate(source, "es")
    assert client.get("/api/v1/components/legs-up/?locale=pt-BR").json()["locale"] == "en"
    workflow.change_locale(user=reviewer, code="pt-BR", name="Português (Brasil)", fallback="es")
    served = client.get("/api/v1/components/legs-up/?locale=pt-BR").json()
    assert (served["locale"], served["requested_locale"]) == ("es", "pt-BR")
    chains = {e["code"]: e["fallbacks"] for e in client.get("/api/v1/locales/").json()["results"]}
    assert chains["pt-BR"] == ["es", "en"]


def test_a_locale_added_later_serves_every_item_and_its_history_at_once(
    client, publish, people, vocabulary
):
    editor, reviewer, second = people
    first = publish("legs-up")
    builders.republished(first, editor, reviewer, second, summary="Second version.")
    workflow.add_locale(user=ReviewerFactory(), code="de", name="Deutsch")
    served = client.get("/api/v1/components/legs-up/?locale=de").json()
    assert (served["locale"], served["fallback_reason"], served["version"]) == (
        "en",
        "not-translated",
        2,
    )
    history = client.get("/api/v1/components/legs-up/versions/?locale=de").json()
    assert [entry["version"] for entry in history["results"]] == [2, 1]
    old = client.get("/api/v1/components/legs-up/versions/1/?locale=de").json()
    assert old["requested_locale"] == "de" and old["summary"] != "Second version."


def _refused(sql, params):
    from django.db import IntegrityError, connection, transaction

    with pytest.raises(IntegrityError) as caught, transaction.atomic(), connection.cursor() as c:
        c.execute(sql, params)
    return str(caught.value)


@pytest.mark.postgres_only
def test_the_database_lets_a_translated_document_change_its_prose_only(source, translate):
    from content.models import PublishedDocument

    translate(source, "es")
    spanish = PublishedDocument.objects.get(version=source, locale="es")
    english = PublishedDocument.objects.get(version=source, locale="en")
    same_structure = spanish.body.replace("[es] ", "[es2] ")
    PublishedDocument.objects.filter(pk=spanish.pk).update(body=same_structure)  # allowed
    severity = spanish.body.replace('"severity":"caution"', '"severity":"avoid"')
    assert "may change its prose only" in _refused(
        "UPDATE content_publisheddocument SET body = %s WHERE id = %s", [severity, spanish.pk]
    )
    level = spanish.body.replace('"duration_minutes":10', '"duration_minutes":100')
    assert "may change its prose only" in _refused(
        "UPDATE content_publisheddocument SET body = %s WHERE id = %s", [level, spanish.pk]
    )
    assert "cannot change" in _refused(
        "UPDATE content_publisheddocument SET title = 'x' WHERE id = %s", [english.pk]
    )
    assert "cannot change" in _refused(
        "UPDATE content_publisheddocument SET locale = 'pt' WHERE id = %s", [spanish.pk]
    )


def test_after_a_first_draft_is_discarded_the_next_translation_starts_afresh(
    source, translator, people
):
    draft = builders.translation_of(source, "es", translator)
    workflow.discard(version=draft, user=translator)
    again = workflow.start_translation(item=source.item, locale="es", user=translator)
    assert (again.item_id, again.number, again.title) == (draft.item_id, 2, "")
    assert again.item.slug == "legs-up@es"
