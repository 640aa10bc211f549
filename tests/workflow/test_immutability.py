"""Frozen versions, their parts, approvals and audit entries cannot be changed by any path:
not the ORM, not a bulk update, and on PostgreSQL not raw SQL either."""

from pathlib import Path

import pytest
from django.db import IntegrityError, ProgrammingError, connection, transaction

from content import workflow
from content.errors import FrozenVersionError, ImmutableRecordError
from content.models import (
    Approval,
    AuditEntry,
    Citation,
    ContraindicationLink,
    Version,
    VersionGoal,
    VersionState,
)
from tests import builders
from tests.factories import ContraindicationFactory, GoalFactory

pytestmark = pytest.mark.django_db


def test_saving_a_frozen_version_through_the_orm_is_refused(editor):
    version = builders.in_review(editor, slug="bhramari")
    version = Version.objects.get(pk=version.pk)
    version.title = "Changed behind the workflow"
    with pytest.raises(FrozenVersionError) as caught:
        version.save()
    assert str(caught.value) == (
        "Version 1 of 'bhramari' was submitted and is frozen; make a new version to change it."
    )
    assert Version.objects.get(pk=version.pk).title != "Changed behind the workflow"


def test_naming_content_fields_in_update_fields_is_refused(editor):
    version = Version.objects.get(pk=builders.in_review(editor).pk)
    version.summary = "Other"
    with pytest.raises(FrozenVersionError):
        version.save(update_fields=["summary"])


def test_a_frozen_version_cannot_go_back_to_draft_through_the_orm(editor):
    version = Version.objects.get(pk=builders.in_review(editor).pk)
    version.content_hash = ""
    with pytest.raises(FrozenVersionError):
        version.save(update_fields=["content_hash"])


def test_bulk_update_of_frozen_content_is_refused(editor):
    frozen = builders.in_review(editor)
    with pytest.raises(FrozenVersionError) as caught:
        Version.objects.filter(pk=frozen.pk).update(title="Bulk")
    assert "Cannot change title of submitted versions" in str(caught.value)
    with pytest.raises(FrozenVersionError):
        Version.objects.filter(pk=frozen.pk).update(content_hash="0" * 64)


def test_bulk_update_of_drafts_is_allowed(editor):
    draft = builders.draft(editor)
    Version.objects.filter(pk=draft.pk).update(title="Bulk")
    assert Version.objects.get(pk=draft.pk).title == "Bulk"


def test_frozen_versions_cannot_be_deleted(editor):
    version = builders.in_review(editor)
    with pytest.raises(FrozenVersionError):
        Version.objects.get(pk=version.pk).delete()
    with pytest.raises(FrozenVersionError):
        Version.objects.filter(pk=version.pk).delete()


def test_parts_of_a_frozen_version_cannot_be_added_changed_or_removed(editor):
    GoalFactory(slug="sleep")
    pregnancy = ContraindicationFactory(slug="pregnancy")
    version = builders.in_review(editor, slug="kapalabhati", goals=("sleep",))
    with pytest.raises(FrozenVersionError) as caught:
        ContraindicationLink.objects.create(
            version=version, contraindication=pregnancy, severity="avoid", note="No."
        )
    assert str(caught.value) == (
        "Version 1 of 'kapalabhati' was submitted and is frozen; "
        "make a new version to change what it links to."
    )
    citation = Citation.objects.get(version=version)
    citation.title = "Other"
    with pytest.raises(FrozenVersionError):
        citation.save()
    with pytest.raises(FrozenVersionError):
        Citation.objects.filter(version=version).update(title="Other")
    with pytest.raises(FrozenVersionError):
        VersionGoal.objects.filter(version=version).delete()
    with pytest.raises(FrozenVersionError):
        Citation.objects.bulk_create([Citation(version=version, title="X", url="https://x.org")])
    assert VersionGoal.objects.filter(version=version).count() == 1
    assert Citation.objects.filter(version=version).count() == 1


def test_audit_entries_are_never_updated_or_deleted(editor):
    builders.draft(editor)
    entry = AuditEntry.objects.get()
    entry.comment = "rewritten"
    with pytest.raises(ImmutableRecordError):
        entry.save()
    with pytest.raises(ImmutableRecordError):
        entry.delete()
    with pytest.raises(ImmutableRecordError):
        AuditEntry.objects.update(comment="rewritten")
    with pytest.raises(ImmutableRecordError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get().comment == ""


def test_approvals_are_never_updated_or_deleted(editor, reviewer):
    builders.approved(editor, reviewer)
    with pytest.raises(ImmutableRecordError):
        Approval.objects.update(content_hash="0" * 64)
    with pytest.raises(ImmutableRecordError):
        Approval.objects.get().delete()


def test_the_database_allows_one_working_version_per_item(editor):
    version = builders.draft(editor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Version.objects.create(
            item=version.item,
            number=2,
            title="Parallel draft",
            summary="s",
            evidence_level="C",
            change_note="c",
            created_by=editor,
        )


def test_the_database_allows_one_published_version_per_item(editor, reviewer):
    version = builders.published(editor, reviewer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Version.objects.create(
            item=version.item,
            number=2,
            state=VersionState.PUBLISHED,
            content_hash="0" * 64,
            title="Second live version",
            summary="s",
            evidence_level="C",
            change_note="c",
            created_by=editor,
        )


# --- PostgreSQL: the database itself refuses ------------------------------------------


def raw_sql_refused(sql, params=(), error=IntegrityError):
    """The message with which the database refuses ``sql`` (as ``error``)."""
    with pytest.raises(error) as caught, transaction.atomic(), connection.cursor() as c:
        c.execute(sql, params)
    return str(caught.value)


@pytest.mark.postgres_only
def test_raw_sql_cannot_change_a_frozen_version(editor):
    version = builders.in_review(editor)
    message = raw_sql_refused("UPDATE content_version SET title = 'x' WHERE id = %s", [version.pk])
    assert "its content cannot change" in message
    message = raw_sql_refused(
        "UPDATE content_version SET state = 'draft', content_hash = '' WHERE id = %s", [version.pk]
    )
    assert "cannot become a draft again" in message
    message = raw_sql_refused("DELETE FROM content_version WHERE id = %s", [version.pk])
    assert "cannot be deleted" in message


def check_deferred_constraints() -> None:
    """Run the checks PostgreSQL defers to commit now (the test's transaction never commits);
    raises if any fails."""
    with connection.cursor() as c:
        c.execute("SET CONSTRAINTS ALL IMMEDIATE; SET CONSTRAINTS ALL DEFERRED")


def refused_at_commit(sql, params=()):
    """The message with which the database refuses ``sql`` when the transaction commits
    (its deferred checks are run at once here: the test's transaction never commits)."""
    return raw_sql_refused(f"{sql}; SET CONSTRAINTS ALL IMMEDIATE", params)


@pytest.mark.postgres_only
def test_raw_sql_cannot_move_a_version_between_states_without_an_audit_entry(editor):
    version = builders.in_review(editor)
    message = refused_at_commit(
        "UPDATE content_version SET state = 'approved' WHERE id = %s", [version.pk]
    )
    assert "became approved with no audit entry" in message


@pytest.mark.postgres_only
def test_the_workflow_passes_the_audit_check_at_commit(editor, reviewer):
    version = builders.approved(editor, reviewer)
    check_deferred_constraints()
    published = workflow.publish(version=version, user=reviewer)
    check_deferred_constraints()
    assert published.state == VersionState.PUBLISHED


@pytest.mark.postgres_only
def test_the_database_sets_audit_and_approval_times(editor, reviewer):
    version = builders.approved(editor, reviewer)
    with connection.cursor() as c:
        c.execute(
            "INSERT INTO content_auditentry (at, action, item_id, version_id, version_number, "
            "content_hash, comment, from_state, to_state) VALUES "
            "('2001-01-01T00:00:00Z', 'approve', %s, %s, 1, '', 'back-dated', 'in_review', "
            "'approved') RETURNING at, now()",
            [version.item_id, version.pk],
        )
        at, now = c.fetchone()
        assert at == now, "a back-dated audit entry gets the time of its transaction"
        c.execute("SELECT bool_and(created_at = now()) FROM content_approval")
        assert c.fetchone()[0] is True


@pytest.mark.postgres_only
def test_raw_sql_cannot_rewrite_what_was_served(editor, reviewer):
    version = builders.published(editor, reviewer, slug="served-once")
    document = "SELECT id FROM content_publisheddocument WHERE version_id = %s"
    for sql, message in [
        (
            "UPDATE content_publisheddocument SET body = replace(body, 'served-once', 'x') "
            f"WHERE id = ({document})",
            "served JSON of published document",
        ),
        (
            f"UPDATE content_publisheddocument SET title = 'x' WHERE id = ({document})",
            "served JSON of published document",
        ),
        (
            f"UPDATE content_publisheddocument SET locale = 'es' WHERE id = ({document})",
            "only its marks can be set",
        ),
        (
            f"UPDATE content_publisheddocument SET avoid_keys = '|999|' WHERE id = ({document})",
            "only its marks can be set",
        ),
        (
            "UPDATE content_publisheddocument SET body = jsonb_set(body::jsonb, "
            """'{interactions}', '[{"component": "x", "severity": "avoid", "note": ""}]')::text """
            f"WHERE id = ({document})",
            "interactions must be the live ones",
        ),
    ]:
        assert message in raw_sql_refused(sql, [version.pk])
    workflow.withdraw(version=version, user=reviewer, reason="Safety.")
    message = raw_sql_refused(
        f"UPDATE content_publisheddocument SET live = true WHERE id = ({document})", [version.pk]
    )
    assert "only its marks can be set" in message
    assert "is kept" in raw_sql_refused(
        f"DELETE FROM content_publisheddocument WHERE id = ({document})", [version.pk]
    )


@pytest.mark.postgres_only
def test_raw_sql_cannot_lower_the_generations_nor_rewrite_the_change_log(editor, reviewer):
    builders.published(editor, reviewer, slug="logged")
    for sql in [
        "UPDATE content_deliverystate SET generation = generation - 1",
        "UPDATE content_deliverystate SET keys_generation = 0",
        "UPDATE content_deliverystate SET epoch = 'another'",
    ]:
        assert "only grow" in raw_sql_refused(sql)
    assert "never deleted" in raw_sql_refused("DELETE FROM content_deliverystate")
    assert "append-only: DELETE refused" in raw_sql_refused("DELETE FROM content_deliverychange")
    assert "append-only: UPDATE refused" in raw_sql_refused(
        "UPDATE content_deliverychange SET generation = 1"
    )


@pytest.mark.postgres_only
def test_raw_sql_cannot_change_the_parts_of_a_frozen_version(editor):
    pregnancy = ContraindicationFactory(slug="pregnancy")
    version = builders.in_review(editor)
    message = raw_sql_refused(
        "INSERT INTO content_contraindicationlink (version_id, contraindication_id, severity, note)"
        " VALUES (%s, %s, 'avoid', 'x')",
        [version.pk, pregnancy.pk],
    )
    assert "content_contraindicationlink: version" in message
    assert "is frozen" in message
    raw_sql_refused("UPDATE content_citation SET title = 'x' WHERE version_id = %s", [version.pk])
    raw_sql_refused("DELETE FROM content_citation WHERE version_id = %s", [version.pk])


@pytest.mark.postgres_only
def test_raw_sql_can_edit_the_parts_of_a_draft(editor):
    version = builders.draft(editor)
    with connection.cursor() as c:
        c.execute("UPDATE content_citation SET title = 'x' WHERE version_id = %s", [version.pk])
    assert Citation.objects.get(version=version).title == "x"


@pytest.mark.postgres_only
def test_raw_sql_cannot_rewrite_the_audit_log_or_approvals(editor, reviewer):
    builders.approved(editor, reviewer)
    assert "append-only: UPDATE refused" in raw_sql_refused(
        "UPDATE content_auditentry SET comment = 'x'", []
    )
    assert "append-only: DELETE refused" in raw_sql_refused("DELETE FROM content_auditentry", [])
    assert "append-only: UPDATE refused" in raw_sql_refused(
        "UPDATE content_approval SET content_hash = 'x'", []
    )


@pytest.mark.postgres_only
def test_a_state_row_written_anew_starts_a_new_epoch(db):
    """As a data-only restore writes it: the epoch it brings was seen before."""
    with connection.cursor() as c:
        c.execute("SELECT epoch, generation FROM content_deliverystate")
        epoch, generation = c.fetchone()
        c.execute(
            "ALTER TABLE content_deliverystate DISABLE TRIGGER content_deliverystate_monotonic"
        )
        c.execute("DELETE FROM content_deliverystate")
        c.execute(
            "INSERT INTO content_deliverystate (id, epoch, generation, keys_generation) "
            "VALUES (1, %s, %s, 1) RETURNING epoch",
            [epoch, generation],
        )
        assert c.fetchone()[0] != epoch


# --- PostgreSQL: the application's role cannot get around the triggers ----------------

APP_ROLE_SQL = Path(__file__).resolve().parents[2] / "docs" / "app-role.sql"


@pytest.mark.postgres_only
def test_the_application_role_cannot_disable_truncate_or_rewrite(editor, reviewer):
    """docs/app-role.sql grants the role the application runs as in production: enough for
    the workflow, and not enough to switch the guards off (the owner of a table could)."""
    approved = builders.approved(editor, reviewer)
    draft = builders.draft(editor, slug="role-draft")
    grants = APP_ROLE_SQL.read_text().replace(":app", "recovery_app_under_test")
    with connection.cursor() as c:  # all of it is rolled back with the test's transaction
        c.execute("CREATE ROLE recovery_app_under_test NOLOGIN")
        c.execute(grants)
        c.execute("SET LOCAL ROLE recovery_app_under_test")

    for sql, message in [
        ("ALTER TABLE content_auditentry DISABLE TRIGGER ALL", "must be owner"),
        ("DROP TRIGGER content_version_guard ON content_version", "must be owner"),
        ("ALTER TABLE content_publisheddocument DISABLE TRIGGER ALL", "must be owner"),
        ("TRUNCATE content_auditentry", "permission denied"),
        ("TRUNCATE content_deliverychange", "permission denied"),
        ("DELETE FROM content_auditentry", "permission denied"),
        ("UPDATE content_approval SET comment = ''", "permission denied"),
        ("DELETE FROM content_deliverychange", "permission denied"),
        ("UPDATE content_deliverychange SET generation = 0", "permission denied"),
        ("DELETE FROM content_publisheddocument", "permission denied"),
        ("DELETE FROM content_deliverystate", "permission denied"),
    ]:
        assert message in raw_sql_refused(sql, error=ProgrammingError)
    assert "its content cannot change" in raw_sql_refused(
        "UPDATE content_version SET title = 'x' WHERE id = %s", [approved.pk]
    )
    assert "only grow" in raw_sql_refused(
        "UPDATE content_deliverystate SET generation = generation - 1"
    )
    # ... while the whole workflow works as that role.
    submitted = workflow.submit_for_review(version=draft, user=editor)
    assert submitted.state == VersionState.IN_REVIEW
    published = workflow.publish(version=approved, user=reviewer)
    assert "cannot change" in raw_sql_refused(
        "UPDATE content_publisheddocument SET title = 'x' WHERE version_id = %s", [published.pk]
    )
    assert "no audit entry" in refused_at_commit(
        "UPDATE content_version SET state = 'withdrawn' WHERE id = %s", [published.pk]
    )
    withdrawn = workflow.withdraw(version=published, user=reviewer, reason="Safety signal.")
    assert withdrawn.state == VersionState.WITHDRAWN
    check_deferred_constraints()
    with connection.cursor() as c:
        c.execute("SELECT current_user")
        assert c.fetchone()[0] == "recovery_app_under_test"
