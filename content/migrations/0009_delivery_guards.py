"""Defence in depth for what the API serves, in the database itself.

- ``DeliveryState`` gets an ``epoch``; its generations never decrease, the row is never
  deleted, and a row written anew (a data-only restore) gets a new epoch (PostgreSQL).
- Any change to the API keys, however it is made (admin, queryset, shell, SQL), bumps
  ``keys_generation`` in the same transaction (a trigger on both databases), so workers
  drop the keys they validated. On PostgreSQL it also notifies the listening workers.
- PostgreSQL: a published document's served JSON never changes after it is written, except
  its ``interactions``, which must be exactly the version's frozen interactions with
  components that are live; a document only goes from live to not live, and its superseded
  and withdrawn times are set once. Documents are never deleted.
- PostgreSQL: the sync change log is append-only; audit and approval timestamps are set by
  the database; a version's state never changes (nor a version appear) without an audit
  entry written in the same transaction, checked at commit.
"""

import secrets

from django.db import migrations, models

import content.models.generations

NOTIFY_CHANNEL = "delivery_generations"

POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION content_delivery_state_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'the delivery state row is never deleted'
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.id <> OLD.id OR NEW.epoch <> OLD.epoch
            OR NEW.generation < OLD.generation
            OR NEW.keys_generation < OLD.keys_generation THEN
        RAISE EXCEPTION 'delivery generations only grow (epoch %, generation % -> %, keys % -> %)',
            OLD.epoch, OLD.generation, NEW.generation, OLD.keys_generation, NEW.keys_generation
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER content_deliverystate_monotonic
    BEFORE UPDATE OR DELETE ON content_deliverystate
    FOR EACH ROW EXECUTE FUNCTION content_delivery_state_guard();

-- A state row written anew (a data-only restore, or a row recreated by hand) starts a new
-- epoch, whatever epoch it was written with: its generations may have been seen before.
CREATE OR REPLACE FUNCTION content_delivery_state_new_epoch() RETURNS trigger AS $$
BEGIN
    NEW.epoch := replace(gen_random_uuid()::text, '-', '');
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER content_deliverystate_new_epoch
    BEFORE INSERT ON content_deliverystate
    FOR EACH ROW EXECUTE FUNCTION content_delivery_state_new_epoch();

CREATE OR REPLACE FUNCTION content_delivery_keys_changed() RETURNS trigger AS $$
BEGIN
    UPDATE content_deliverystate SET keys_generation = keys_generation + 1 WHERE id = 1;
    PERFORM pg_notify('{NOTIFY_CHANNEL}', generation || ':' || keys_generation)
        FROM content_deliverystate WHERE id = 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER content_deliverykey_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON content_deliverykey
    FOR EACH STATEMENT EXECUTE FUNCTION content_delivery_keys_changed();

CREATE OR REPLACE FUNCTION content_document_guard() RETURNS trigger AS $$
DECLARE
    expected jsonb;
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'published document % is kept: DELETE refused', OLD.id
            USING ERRCODE = 'check_violation';
    END IF;
    IF (NEW.live AND NOT OLD.live)
            OR (OLD.superseded_at IS NOT NULL
                AND NEW.superseded_at IS DISTINCT FROM OLD.superseded_at)
            OR (OLD.withdrawn_at IS NOT NULL
                AND NEW.withdrawn_at IS DISTINCT FROM OLD.withdrawn_at)
            OR ROW(NEW.id, NEW.version_id, NEW.item_id, NEW.kind, NEW.slug, NEW.number,
                   NEW.title, NEW.summary, NEW.change_note, NEW.goal_keys, NEW.avoid_keys,
                   NEW.links, NEW.plan_items, NEW.published_at)
               IS DISTINCT FROM
               ROW(OLD.id, OLD.version_id, OLD.item_id, OLD.kind, OLD.slug, OLD.number,
                   OLD.title, OLD.summary, OLD.change_note, OLD.goal_keys, OLD.avoid_keys,
                   OLD.links, OLD.plan_items, OLD.published_at) THEN
        RAISE EXCEPTION 'published document % (% v%) cannot change: only its marks can be set',
            OLD.id, OLD.slug, OLD.number
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.body IS DISTINCT FROM OLD.body THEN
        IF (NEW.body::jsonb - 'interactions') IS DISTINCT FROM (OLD.body::jsonb - 'interactions') THEN
            RAISE EXCEPTION 'the served JSON of published document % (% v%) cannot change',
                OLD.id, OLD.slug, OLD.number USING ERRCODE = 'check_violation';
        END IF;
        SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'component', other.slug, 'severity', i.severity, 'note', i.note)
                   ORDER BY other.slug), '[]'::jsonb)
            INTO expected
            FROM content_interaction i JOIN content_contentitem other ON other.id = i.other_id
            WHERE i.version_id = NEW.version_id
              AND EXISTS (SELECT 1 FROM content_publisheddocument d
                          WHERE d.item_id = i.other_id AND d.live);
        IF (NEW.body::jsonb -> 'interactions') IS DISTINCT FROM expected THEN
            RAISE EXCEPTION 'published document % (% v%): interactions must be the live ones',
                OLD.id, OLD.slug, OLD.number
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER content_publisheddocument_guard
    BEFORE UPDATE OR DELETE ON content_publisheddocument
    FOR EACH ROW EXECUTE FUNCTION content_document_guard();

CREATE TRIGGER content_deliverychange_append_only
    BEFORE UPDATE OR DELETE ON content_deliverychange
    FOR EACH ROW EXECUTE FUNCTION content_append_only();

-- Sets the column named by the trigger's argument to the transaction's time.
CREATE OR REPLACE FUNCTION content_stamp_time() RETURNS trigger AS $$
BEGIN
    NEW := jsonb_populate_record(NEW, jsonb_build_object(TG_ARGV[0], now()));
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER content_auditentry_time
    BEFORE INSERT ON content_auditentry
    FOR EACH ROW EXECUTE FUNCTION content_stamp_time('at');

CREATE TRIGGER content_approval_time
    BEFORE INSERT ON content_approval
    FOR EACH ROW EXECUTE FUNCTION content_stamp_time('created_at');

CREATE OR REPLACE FUNCTION content_version_audited() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.state IS NOT DISTINCT FROM OLD.state THEN
        RETURN NULL;
    END IF;
    -- Audit times are the transaction's start (content_stamp_audit_time), so an entry
    -- with this time was written in this transaction.
    IF NOT EXISTS (SELECT 1 FROM content_auditentry a
                   WHERE a.version_id = NEW.id AND a.to_state = NEW.state AND a.at = now()) THEN
        RAISE EXCEPTION 'version % of item % became % with no audit entry',
            NEW.number, NEW.item_id, NEW.state USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER content_version_audited
    AFTER INSERT OR UPDATE OF state ON content_version
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION content_version_audited();
"""

POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS content_version_audited ON content_version;
DROP FUNCTION IF EXISTS content_version_audited();
DROP TRIGGER IF EXISTS content_approval_time ON content_approval;
DROP TRIGGER IF EXISTS content_auditentry_time ON content_auditentry;
DROP FUNCTION IF EXISTS content_stamp_time();
DROP TRIGGER IF EXISTS content_deliverychange_append_only ON content_deliverychange;
DROP TRIGGER IF EXISTS content_publisheddocument_guard ON content_publisheddocument;
DROP FUNCTION IF EXISTS content_document_guard();
DROP TRIGGER IF EXISTS content_deliverykey_changed ON content_deliverykey;
DROP FUNCTION IF EXISTS content_delivery_keys_changed();
DROP TRIGGER IF EXISTS content_deliverystate_new_epoch ON content_deliverystate;
DROP FUNCTION IF EXISTS content_delivery_state_new_epoch();
DROP TRIGGER IF EXISTS content_deliverystate_monotonic ON content_deliverystate;
DROP FUNCTION IF EXISTS content_delivery_state_guard();
"""

SQLITE_FORWARD = [
    f"""
CREATE TRIGGER content_deliverykey_{event.lower()}
AFTER {event} ON content_deliverykey
BEGIN
    UPDATE content_deliverystate SET keys_generation = keys_generation + 1 WHERE id = 1;
END;
"""
    for event in ("INSERT", "UPDATE", "DELETE")
]

SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS content_deliverykey_{event.lower()};"
    for event in ("INSERT", "UPDATE", "DELETE")
]


def give_epochs(apps, schema_editor):
    for state in apps.get_model("content", "DeliveryState").objects.all():
        state.epoch = secrets.token_hex(8)
        state.save(update_fields=["epoch"])


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("content", "0008_sync_changes")]

    operations = [
        migrations.AddField(
            model_name="deliverystate",
            name="epoch",
            field=models.CharField(default=content.models.generations.new_epoch, max_length=32),
        ),
        migrations.RunPython(give_epochs, migrations.RunPython.noop),
        migrations.RunPython(forward, backward),
    ]
