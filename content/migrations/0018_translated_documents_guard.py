# ruff: noqa: E501 (SQL)
"""The published documents' guard (migration 0009) with translations (PostgreSQL).

A document of the default locale is still never changed but for its marks and its
interactions (exactly the version's interactions with live components). A live document
of another locale is re-rendered when the prose it serves changes (a translation published
or withdrawn, a vocabulary translation approved, a chain changed), so its prose may change:
never what it says besides (identity, goals, evidence, citations, review, the
contraindications and their severities, the components of a plan, the numbers of its
details, which components it interacts with and how). A document no longer live never
changes but for its marks.
"""

from django.db import migrations

GUARD = r"""
CREATE OR REPLACE FUNCTION content_document_guard() RETURNS trigger AS $$
DECLARE
    default_locale text;
    prose text[] := ARRAY['title', 'summary', 'body_markdown', 'body_html', 'locale',
                          'requested_locale', 'fallback_reason', 'details',
                          'contraindications', 'interactions'];
    expected jsonb;
    served jsonb;
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
                   NEW.locale, NEW.change_note, NEW.goal_keys, NEW.avoid_keys,
                   NEW.published_at)
               IS DISTINCT FROM
               ROW(OLD.id, OLD.version_id, OLD.item_id, OLD.kind, OLD.slug, OLD.number,
                   OLD.locale, OLD.change_note, OLD.goal_keys, OLD.avoid_keys,
                   OLD.published_at) THEN
        RAISE EXCEPTION 'published document % (% v% %) cannot change: only its marks can be set',
            OLD.id, OLD.slug, OLD.number, OLD.locale
            USING ERRCODE = 'check_violation';
    END IF;
    SELECT code INTO default_locale FROM content_locale WHERE is_default;
    IF OLD.locale = default_locale OR NOT (OLD.live AND NEW.live) THEN
        IF ROW(NEW.title, NEW.summary, NEW.links, NEW.plan_items, NEW.served_locale,
               NEW.translation_id)
           IS DISTINCT FROM
           ROW(OLD.title, OLD.summary, OLD.links, OLD.plan_items, OLD.served_locale,
               OLD.translation_id)
           OR (NEW.body::jsonb - 'interactions') IS DISTINCT FROM (OLD.body::jsonb - 'interactions')
        THEN
            RAISE EXCEPTION 'the served JSON of published document % (% v% %) cannot change',
                OLD.id, OLD.slug, OLD.number, OLD.locale USING ERRCODE = 'check_violation';
        END IF;
    ELSIF (NEW.body::jsonb - prose) IS DISTINCT FROM (OLD.body::jsonb - prose)
            OR jsonb_path_query_array(NEW.body::jsonb, '$.contraindications[*].slug')
               IS DISTINCT FROM jsonb_path_query_array(OLD.body::jsonb, '$.contraindications[*].slug')
            OR jsonb_path_query_array(NEW.body::jsonb, '$.contraindications[*].severity')
               IS DISTINCT FROM jsonb_path_query_array(OLD.body::jsonb, '$.contraindications[*].severity')
            OR jsonb_path_query_array(coalesce(NEW.body::jsonb -> 'details', '{}'), 'strict $.** ? (@.type() == "number")')
               IS DISTINCT FROM
               jsonb_path_query_array(coalesce(OLD.body::jsonb -> 'details', '{}'), 'strict $.** ? (@.type() == "number")')
            OR jsonb_path_query_array(NEW.links, '$[*][0 to 2]')
               IS DISTINCT FROM jsonb_path_query_array(OLD.links, '$[*][0 to 2]')
            OR jsonb_path_query_array(NEW.plan_items, '$[*][0]')
               IS DISTINCT FROM jsonb_path_query_array(OLD.plan_items, '$[*][0]') THEN
        RAISE EXCEPTION 'published document % (% v% %) may change its prose only',
            OLD.id, OLD.slug, OLD.number, OLD.locale USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.body IS DISTINCT FROM OLD.body THEN
        -- Which live components it interacts with, and how, are the version's own.
        SELECT coalesce(jsonb_agg(jsonb_build_array(other.slug, i.severity)
                                  ORDER BY other.slug), '[]'::jsonb)
            INTO expected
            FROM content_interaction i JOIN content_contentitem other ON other.id = i.other_id
            WHERE i.version_id = NEW.version_id
              AND EXISTS (SELECT 1 FROM content_publisheddocument d
                          WHERE d.item_id = i.other_id AND d.live);
        SELECT coalesce(jsonb_agg(jsonb_build_array(e -> 'component', e -> 'severity')),
                        '[]'::jsonb)
            INTO served
            FROM jsonb_array_elements(NEW.body::jsonb -> 'interactions') e;
        IF served IS DISTINCT FROM expected THEN
            RAISE EXCEPTION 'published document % (% v% %): interactions must be the live ones',
                OLD.id, OLD.slug, OLD.number, OLD.locale
                USING ERRCODE = 'check_violation';
        END IF;
        IF OLD.locale = default_locale THEN  -- and say the version's own notes
            SELECT coalesce(jsonb_agg(i.note ORDER BY other.slug), '[]'::jsonb)
                INTO expected
                FROM content_interaction i JOIN content_contentitem other ON other.id = i.other_id
                WHERE i.version_id = NEW.version_id
                  AND EXISTS (SELECT 1 FROM content_publisheddocument d
                              WHERE d.item_id = i.other_id AND d.live);
            IF jsonb_path_query_array(NEW.body::jsonb, '$.interactions[*].note')
                    IS DISTINCT FROM expected THEN
                RAISE EXCEPTION 'published document % (% v% %): interactions must be the live ones',
                    OLD.id, OLD.slug, OLD.number, OLD.locale
                    USING ERRCODE = 'check_violation';
            END IF;
        END IF;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARD, params=None)


def backward(apps, schema_editor):
    """Migration 0009's guard again."""
    if schema_editor.connection.vendor == "postgresql":
        import importlib

        guards = importlib.import_module("content.migrations.0009_delivery_guards")
        start = guards.POSTGRES_FORWARD.index("CREATE OR REPLACE FUNCTION content_document_guard")
        end = guards.POSTGRES_FORWARD.index("$$ LANGUAGE plpgsql;", start)
        schema_editor.execute(
            guards.POSTGRES_FORWARD[start:end] + "$$ LANGUAGE plpgsql;", params=None
        )


class Migration(migrations.Migration):
    dependencies = [("content", "0017_translations")]

    operations = [migrations.RunPython(forward, backward)]
