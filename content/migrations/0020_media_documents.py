# ruff: noqa: E501 (SQL)
"""Pictures in the read model and its guards (PostgreSQL).

- ``content_medialink`` rows are frozen with their version, as every other part is (the
  trigger of migration 0002).
- The documents' guard (migration 0018) lets a live document of another locale change the
  alt text of its pictures (prose), never anything else about them.
- Every document published before pictures existed says it has none (``"media": []``), so
  that every item carries the key the API promises; the guard is paused for this one change.
"""

import importlib
import json

from django.db import migrations

_0002 = importlib.import_module("content.migrations.0002_postgres_guards")
_0018 = importlib.import_module("content.migrations.0018_translated_documents_guard")

_PROSE = "'contraindications', 'interactions'];"
_MEDIA_CHECK = """            OR (SELECT coalesce(jsonb_agg(e - 'alt'), '[]'::jsonb)
                FROM jsonb_array_elements(coalesce(NEW.body::jsonb -> 'media', '[]'::jsonb)) e)
               IS DISTINCT FROM
               (SELECT coalesce(jsonb_agg(e - 'alt'), '[]'::jsonb)
                FROM jsonb_array_elements(coalesce(OLD.body::jsonb -> 'media', '[]'::jsonb)) e)
            OR jsonb_path_query_array(NEW.links, '$[*][0 to 2]')"""
assert _PROSE in _0018.GUARD
assert _0018.GUARD.count("            OR jsonb_path_query_array(NEW.links, '$[*][0 to 2]')") == 1
GUARD = _0018.GUARD.replace(_PROSE, "'contraindications', 'interactions', 'media'];").replace(
    "            OR jsonb_path_query_array(NEW.links, '$[*][0 to 2]')", _MEDIA_CHECK
)


def _postgres(schema_editor) -> bool:
    return schema_editor.connection.vendor == "postgresql"


def forward_guards(apps, schema_editor):
    if _postgres(schema_editor):
        schema_editor.execute(_0002.part_trigger("content_medialink"), params=None)
        schema_editor.execute(GUARD, params=None)


def backward_guards(apps, schema_editor):
    if _postgres(schema_editor):
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS content_medialink_frozen_guard ON content_medialink;", None
        )
        schema_editor.execute(_0018.GUARD, params=None)


def no_media_yet(apps, schema_editor):
    """``"media": []`` in every document that has no pictures key, before its review."""
    documents = apps.get_model("content", "PublishedDocument").objects.all()
    if not documents.exists():
        return
    guard = "TRIGGER content_publisheddocument_guard"
    if _postgres(schema_editor):
        schema_editor.execute(f"ALTER TABLE content_publisheddocument DISABLE {guard}", None)
    for document in documents.only("pk", "body").iterator():
        body = json.loads(document.body)
        if "media" in body:
            continue
        pairs = list(body.items())
        position = next((n for n, (key, _) in enumerate(pairs) if key == "review"), len(pairs))
        body = dict([*pairs[:position], ("media", []), *pairs[position:]])
        document.body = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        document.save(update_fields=["body"])
    if _postgres(schema_editor):
        schema_editor.execute(f"ALTER TABLE content_publisheddocument ENABLE {guard}", None)


class Migration(migrations.Migration):
    dependencies = [("content", "0019_media")]

    operations = [
        migrations.RunPython(forward_guards, backward_guards),
        migrations.RunPython(no_media_yet, migrations.RunPython.noop),
    ]
