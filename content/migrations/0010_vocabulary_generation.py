"""Any change to a served vocabulary bumps the delivery generation, in the database.

Contraindications, their aliases and goals appear in the API's answers (names, slugs, the
profile's resolution), so a change to any of them, however it is made (admin, queryset
update or delete, shell, SQL), must make workers drop the answers they cached. Until now
``save()`` and ``delete()`` bumped it, which a queryset update or delete never calls. A
trigger per table does it in the same transaction, on both databases; on PostgreSQL it also
notifies the listening workers, as ``bump_generation`` does.
"""

from django.db import migrations

from content.models.generations import NOTIFY_CHANNEL

TABLES = ("content_contraindication", "content_contraindicationalias", "content_goal")

POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION content_delivery_vocabulary_changed() RETURNS trigger AS $$
BEGIN
    UPDATE content_deliverystate SET generation = generation + 1 WHERE id = 1;
    PERFORM pg_notify('{NOTIFY_CHANNEL}', generation || ':' || keys_generation)
        FROM content_deliverystate WHERE id = 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"""
CREATE TRIGGER {table}_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION content_delivery_vocabulary_changed();
"""
    for table in TABLES
)

POSTGRES_BACKWARD = (
    "".join(f"DROP TRIGGER IF EXISTS {table}_changed ON {table};\n" for table in TABLES)
    + "DROP FUNCTION IF EXISTS content_delivery_vocabulary_changed();\n"
)

_EVENTS = ("INSERT", "UPDATE", "DELETE")

SQLITE_FORWARD = [
    f"""
CREATE TRIGGER {table}_{event.lower()}
AFTER {event} ON {table}
BEGIN
    UPDATE content_deliverystate SET generation = generation + 1 WHERE id = 1;
END;
"""
    for table in TABLES
    for event in _EVENTS
]

SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {table}_{event.lower()};" for table in TABLES for event in _EVENTS
]


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
    dependencies = [("content", "0009_delivery_guards")]

    operations = [migrations.RunPython(forward, backward)]
