"""The demo content pack: loaded through the workflow into an empty database, it passes every
domain rule, its translations included; loading it again changes nothing, and leaves
people's own changes alone. What apps get in Spanish: tests/test_demo_translations.py."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import override_settings

from content.demo import PACK_DIR, PackError, Team, load_pack, read_pack
from content.kinds import PLAN, Kind
from content.models import (
    Approval,
    AuditAction,
    AuditEntry,
    ContentItem,
    Contraindication,
    ContraindicationCategory,
    ContraindicationTranslation,
    DeliveryState,
    GoalTranslation,
    Interaction,
    Locale,
    PublishedDocument,
    Version,
    VersionState,
)
from content.workflow import (
    authors_of,
    content_hash,
    edit_draft,
    read_content,
    review_policy,
    revise,
    valid_approvals,
)
from content.workflow.composition import composition_problems
from content.workflow.validation import validate_content
from tests.factories import EditorFactory, ReviewerFactory, TranslatorFactory
from tests.openapi import assert_conforms, served_openapi

README = Path(__file__).resolve().parent.parent / "README.md"


def load_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def database_snapshot() -> dict[str, object]:
    """Every row of every content table, as values: equal snapshots mean nothing changed."""
    snapshot: dict[str, object] = {
        model._meta.label: sorted(map(repr, model.objects.values_list()))
        for model in apps.get_app_config("content").get_models()
    }
    snapshot["auth.User"] = sorted(User.objects.values_list("username", "password", "is_staff"))
    return snapshot


def printed_passwords(output: str) -> dict[str, str]:
    return dict(
        re.findall(r"^\s+(editor|reviewer2?|translator|admin)\s+(\S+)$", output, re.MULTILINE)
    )


@pytest.mark.django_db(transaction=False)
def test_the_pack_loads_into_an_empty_database_and_every_item_passes_the_rules():
    pack = read_pack()
    assert not ContentItem.objects.exists()

    output = load_demo()

    # The vocabularies: at least 12 contraindications, in all four categories.
    assert Contraindication.objects.count() == len(pack.contraindications) >= 12
    assert set(Contraindication.objects.values_list("category", flat=True)) == set(
        ContraindicationCategory.values
    )
    # At least 20 components of all five kinds, at least 3 plans, each with its versions.
    sources = ContentItem.objects.filter(source__isnull=True)  # not translations
    components = sources.exclude(kind=PLAN)
    assert components.count() == len(pack.components) >= 20
    assert set(components.values_list("kind", flat=True)) == set(Kind.values)
    assert sources.filter(kind=PLAN).count() == len(pack.plans) >= 3
    assert Version.objects.filter(translates__isnull=True).count() == sum(
        len(i.versions) for i in pack.components + pack.plans
    )

    # Two components have a superseded earlier version, one was withdrawn; the rest are live,
    # in English and in Spanish.
    superseded = Version.objects.filter(state=VersionState.SUPERSEDED, published_at__isnull=False)
    assert set(superseded.values_list("item__slug", "number")) == {
        ("glycine-bedtime", 1),
        ("caffeine-cutoff", 1),  # after its Spanish translation: tests/test_demo_translations.py
    }
    withdrawn = Version.objects.get(state=VersionState.WITHDRAWN)
    assert withdrawn.item.slug == "five-htp-bedtime" and withdrawn.withdraw_reason
    for locale in ("en", "es"):
        live = PublishedDocument.objects.filter(live=True, locale=locale)
        assert live.count() == sources.count() - 1
        assert not live.filter(slug="five-htp-bedtime").exists()

    # L-tryptophan and L-tyrosine must never share a time slot, and both say so.
    pair = {"l-tryptophan-bedtime", "l-tyrosine-morning"}
    separate = Interaction.objects.filter(
        version__state=VersionState.PUBLISHED, severity="separate", other__slug__in=pair
    )
    assert {(i.version.item.slug, i.other.slug) for i in separate} == {
        ("l-tryptophan-bedtime", "l-tyrosine-morning"),
        ("l-tyrosine-morning", "l-tryptophan-bedtime"),
    }

    published = Version.objects.filter(state=VersionState.PUBLISHED, translates__isnull=True)
    for version in published.select_related("item"):
        item = version.item
        content = read_content(version)
        validate_content(kind=item.kind, slug=item.slug, content=content)  # raises if not
        assert version.content_hash == content_hash(version, content), item.slug
        if item.kind == PLAN:
            assert composition_problems(content) == [], item.slug
        else:
            assert content.citations and content.evidence_level, item.slug
        # Approved by enough distinct reviewers, none of them an author; what they approved
        # is exactly what is published.
        approvers = set(valid_approvals(version).values_list("reviewer_id", flat=True))
        assert len(approvers) >= review_policy(item.kind).approvals_required, item.slug
        assert not approvers & authors_of(version), item.slug
        assert not Approval.objects.filter(version=version).exclude(
            content_hash=version.content_hash
        )
        actions = set(AuditEntry.objects.filter(version=version).values_list("action", flat=True))
        assert {AuditAction.SUBMIT, AuditAction.APPROVE, AuditAction.PUBLISH} <= actions
    for version in Version.objects.filter(
        item__kind=Kind.SUPPLEMENT, item__source__isnull=True, published_at__isnull=False
    ):
        assert valid_approvals(version).count() == 2, version

    # Spanish: every translation written by the translator, approved by a reviewer who did
    # not write it, and published; the vocabulary it needs, approved likewise.
    translator = User.objects.get(username="translator")
    assert Locale.objects.get(code="es").name == "Español"
    translations = Version.objects.filter(translates__isnull=False)
    assert sorted(translations.values_list("item__slug", flat=True)) == sorted(
        f"{translation.item.slug}@es" for translation in pack.translations
    )
    for version in translations:
        assert version.published_at and authors_of(version) == {translator.pk}, version
        approvers = set(valid_approvals(version).values_list("reviewer_id", flat=True))
        assert approvers and translator.pk not in approvers, version
    vocabulary = [*ContraindicationTranslation.objects.all(), *GoalTranslation.objects.all()]
    assert len(vocabulary) == len(pack.vocabulary_translations) >= 6
    for row in vocabulary:
        assert row.written_by == translator and row.approved, row
        assert row.approved_by != translator, row
        assert row.approved_by.groups.filter(name="Reviewers").exists(), row

    assert "components: 23 loaded" in output
    assert f"translations: {len(pack.translations)} loaded" in output

    # Loading again changes nothing at all, not even the delivery generation.
    before = database_snapshot()
    generation = DeliveryState.objects.get().generation
    again = load_demo()
    assert database_snapshot() == before
    assert DeliveryState.objects.get().generation == generation
    assert "nothing changed" in again
    assert printed_passwords(again) == {}


@pytest.mark.django_db
def test_loading_again_leaves_what_editors_and_reviewers_changed_alone():
    load_demo()
    editor = User.objects.get(username="editor")
    glycine = Version.objects.get(item__slug="glycine-bedtime", state=VersionState.PUBLISHED)
    draft = revise(version=glycine, user=editor, change_note="Editor's own revision.")
    content = read_content(draft)
    edit_draft(
        version=draft,
        user=editor,
        content=type(content)(**{**content.__dict__, "title": "Glycine, the editor's title"}),
        expected_edit_count=draft.edit_count,
    )
    pregnancy = Contraindication.objects.get(slug="pregnancy")
    pregnancy.name = "Pregnant or trying to conceive"
    pregnancy.save()
    before = database_snapshot()

    load_demo()

    assert database_snapshot() == before
    assert Version.objects.get(pk=draft.pk).title == "Glycine, the editor's title"
    assert Contraindication.objects.get(slug="pregnancy").name == "Pregnant or trying to conceive"


@pytest.mark.django_db
def test_demo_accounts_print_working_passwords_in_development_only():
    output = load_demo()
    passwords = printed_passwords(output)
    assert set(passwords) == {"editor", "reviewer", "reviewer2", "translator", "admin"}
    for username, password in passwords.items():
        assert User.objects.get(username=username).check_password(password), username
    assert User.objects.get(username="editor").groups.filter(name="Editors").exists()
    assert User.objects.get(username="translator").groups.filter(name="Translators").exists()
    assert User.objects.get(username="reviewer2").reviewer_profile.credentials
    assert User.objects.get(username="admin").is_superuser

    renewed = printed_passwords(load_demo("--reset-passwords"))
    assert set(renewed) == set(passwords)
    editor = User.objects.get(username="editor")
    assert not editor.check_password(passwords["editor"])
    assert editor.check_password(renewed["editor"])


@pytest.mark.django_db
@override_settings(PRODUCTION=True)
def test_demo_accounts_are_never_created_under_production_settings():
    with pytest.raises(CommandError, match="never created under production"):
        load_demo()
    assert not User.objects.filter(username__in=["editor", "reviewer", "admin"]).exists()
    assert not ContentItem.objects.exists()


@pytest.mark.django_db
def test_a_pack_item_the_rules_refuse_names_its_file_and_loads_nothing(tmp_path):
    pack_dir = tmp_path / "demo"
    shutil.copytree(PACK_DIR, pack_dir)
    path = pack_dir / "components" / "kapalabhati.yaml"
    path.write_text(
        path.read_text().replace("contraindication: hernia", "contraindication: hernya")
    )
    team = Team(
        editor=EditorFactory(),
        reviewers=(ReviewerFactory(), ReviewerFactory()),
        translator=TranslatorFactory(),
    )

    with pytest.raises(PackError) as refused:
        load_pack(read_pack(pack_dir), team)

    assert str(refused.value).startswith("components/kapalabhati.yaml, version 1:")
    assert "contraindications[hernya]: unknown contraindication" in str(refused.value)
    assert not ContentItem.objects.exists() and not Contraindication.objects.exists()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("title: Bellows breath", "titel: Bellows breath"), "unknown field(s) titel"),
        (("slug: bhastrika", "slug: bellows"), "must match the file name"),
        (("kind: pranayama", "kind: breathing"), "unknown kind 'breathing'"),
        (("        severity: avoid\n", ""), "contraindications 1: missing field(s) severity"),
    ],
)
def test_a_malformed_pack_file_is_refused_with_its_name_and_field(tmp_path, edit, message):
    pack_dir = tmp_path / "demo"
    shutil.copytree(PACK_DIR, pack_dir)
    path = pack_dir / "components" / "bhastrika.yaml"
    text = path.read_text()
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1], 1))

    with pytest.raises(PackError, match=re.escape(message)) as refused:
        read_pack(pack_dir)
    assert str(refused.value).startswith("components/bhastrika.yaml")


@pytest.mark.django_db
def test_the_readme_examples_work_against_the_demo_pack(client):
    """Every curl example in the README answers as its comment says, on the demo content."""
    load_demo()
    examples = re.findall(
        r'^curl [^\n]*?"?http://127\.0\.0\.1:8000(/api/v1/[^"\s]*)"?(.*)$',
        README.read_text(),
        re.MULTILINE,
    )
    assert len(examples) >= 6
    # As the README's shell line does: the token of an app that has synced everything.
    synced = client.get("/api/v1/sync/?page_size=100").json()
    assert not synced["has_more"]
    for path, rest in examples:
        response = client.get(path.replace("$token", synced["next_token"]))
        expected = 400 if "400" in rest else 200
        assert response.status_code == expected, (path, response.content[:300])
        if expected == 200:
            assert response.json()["disclaimer"]
        if "removed" in rest:
            assert response.json()["removed"], path
        if '{"changes":[]' in rest:
            assert response.json()["changes"] == [], path
        if "in Spanish" in rest:
            assert response.json()["locale"] == "es", path
        if "translation-outdated" in rest:
            answer = response.json()
            assert (answer["locale"], answer["fallback_reason"]) == ("en", "translation-outdated")


@pytest.mark.django_db
def test_every_demo_item_is_served_as_the_schema_describes(client):
    load_demo()
    openapi = served_openapi(client)
    for document in PublishedDocument.objects.filter(live=True):
        kind = "plans" if document.kind == PLAN else "components"
        for query in ("", "?profile=pregnancy,maoi,glaucoma,epilepsy"):
            answer = client.get(f"/api/v1/{kind}/{document.slug}/{query}").json()
            assert_conforms(openapi, "Plan" if kind == "plans" else "Component", answer)
    for url, name in [
        ("/api/v1/components/?page_size=100", "ComponentPage"),
        ("/api/v1/plans/?profile=ssri", "PlanPage"),
        ("/api/v1/contraindications/", "ContraindicationList"),
    ]:
        assert_conforms(openapi, name, client.get(url).json())


@pytest.mark.django_db
def test_loading_the_demo_tells_webhooks_and_notifies_nobody():
    from django_tasks_db.models import DBTaskResult

    from content.models import Event
    from tests.factories import WebhookEndpointFactory

    endpoint = WebhookEndpointFactory(event_types=["content.published"])
    load_demo()

    published = Event.objects.filter(type="content.published")
    assert published.count() == Version.objects.filter(published_at__isnull=False).count()
    assert endpoint.deliveries.count() == published.count()  # apps' back ends hear of it
    assert not Event.objects.filter(handled_at__isnull=True).exists()
    handler_jobs = DBTaskResult.objects.filter(task_path="content.events.tasks.handle_event")
    assert not handler_jobs.exists()  # nobody is notified of the demo's own loading


@pytest.mark.django_db
def test_the_readme_editorial_examples_work_against_the_demo_pack(client):
    """Every editorial API example in the README answers 200 on the demo content, with a
    token made for the demo's reviewer."""
    from content.models import PersonalToken

    load_demo()
    _, token = PersonalToken.objects.create_key(
        name="readme", user=User.objects.get(username="reviewer")
    )
    examples = re.findall(
        r'^curl [^\n]*?"?http://127\.0\.0\.1:8000(/api/manage/v1/[^"\s]*)"?',
        README.read_text(),
        re.M,
    )
    assert len(examples) >= 4
    for path in examples:
        response = client.get(path, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, (path, response.content[:300])
