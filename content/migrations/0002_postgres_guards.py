"""PostgreSQL triggers: the database itself refuses to change frozen versions, their parts,
approvals and audit entries. The model guards catch this first; these catch raw SQL."""

from django.db import migrations

CONTENT_COLUMNS = [
    "item_id",
    "number",
    "based_on_id",
    "title",
    "summary",
    "body",
    "details",
    "evidence_level",
    "change_note",
    "created_by_id",
    "created_at",
    "content_hash",
]



def version_guard_function(columns: list[str]) -> str:
    """The trigger function refusing changes to ``columns`` of a frozen version."""
    old_row = ", ".join(f"OLD.{c}" for c in columns)
    new_row = ", ".join(f"NEW.{c}" for c in columns)
    return f"""
CREATE OR REPLACE FUNCTION content_version_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.state <> 'draft' THEN
            RAISE EXCEPTION 'version % of item % is frozen (%): it cannot be deleted',
                OLD.number, OLD.item_id, OLD.state USING ERRCODE = 'check_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.state <> 'draft' THEN
        IF NEW.state = 'draft' THEN
            RAISE EXCEPTION 'version % of item % is frozen: it cannot become a draft again',
                OLD.number, OLD.item_id USING ERRCODE = 'check_violation';
        END IF;
        IF ROW({new_row}) IS DISTINCT FROM ROW({old_row}) THEN
            RAISE EXCEPTION 'version % of item % is frozen (%): its content cannot change',
                OLD.number, OLD.item_id, OLD.state USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def part_trigger(table: str) -> str:
    """The trigger refusing any change to ``table``'s rows that belong to a frozen version."""
    return f"""
CREATE TRIGGER {table}_frozen_guard
    BEFORE INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION content_version_part_guard();
"""


FORWARD = version_guard_function(CONTENT_COLUMNS) + """
CREATE TRIGGER content_version_guard
    BEFORE UPDATE OR DELETE ON content_version
    FOR EACH ROW EXECUTE FUNCTION content_version_guard();

CREATE OR REPLACE FUNCTION content_version_part_guard() RETURNS trigger AS $$
DECLARE
    frozen_state text;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT state INTO frozen_state FROM content_version WHERE id = OLD.version_id;
        IF frozen_state IS NOT NULL AND frozen_state <> 'draft' THEN
            RAISE EXCEPTION '%: version % is frozen (%)', TG_TABLE_NAME, OLD.version_id,
                frozen_state USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT state INTO frozen_state FROM content_version WHERE id = NEW.version_id;
        IF frozen_state <> 'draft' THEN
            RAISE EXCEPTION '%: version % is frozen (%)', TG_TABLE_NAME, NEW.version_id,
                frozen_state USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION content_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'check_violation';
END;
$$ LANGUAGE plpgsql;
"""

PART_TABLES = [
    "content_versiongoal",
    "content_contraindicationlink",
    "content_interaction",
    "content_citation",
]
APPEND_ONLY_TABLES = ["content_auditentry", "content_approval"]

for table in PART_TABLES:
    FORWARD += part_trigger(table)
for table in APPEND_ONLY_TABLES:
    FORWARD += f"""
CREATE TRIGGER {table}_append_only
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION content_append_only();
"""

BACKWARD = "\n".join(
    [f"DROP TRIGGER IF EXISTS {t}_frozen_guard ON {t};" for t in PART_TABLES]
    + [f"DROP TRIGGER IF EXISTS {t}_append_only ON {t};" for t in APPEND_ONLY_TABLES]
    + [
        "DROP TRIGGER IF EXISTS content_version_guard ON content_version;",
        "DROP FUNCTION IF EXISTS content_version_guard();",
        "DROP FUNCTION IF EXISTS content_version_part_guard();",
        "DROP FUNCTION IF EXISTS content_append_only();",
    ]
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("content", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
