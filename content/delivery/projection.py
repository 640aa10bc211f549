"""The one way into the read model, and everything that writes it: what the workflow's
publications and withdrawals do to what the API serves.

The workflow calls ``project_publication`` and ``project_withdrawal`` inside the transaction
that changes a version's state, after saving it. They store the rendered document (and a
plan's component rows) or retire it (its ``live`` flag), re-render the documents that mention
the item so that they name it exactly while it is published, and announce the change (a new
delivery generation and one change row per item touched), and write the event to the
outbox (``content.published``, ``content.withdrawn``), all in that transaction.

Every published version has a document in every locale (``localising`` chooses each one's
prose). A translation's publication or withdrawal re-renders its source's live documents,
and so does anything that changes which prose a locale serves (``refresh_items``): each
document whose answer changed is announced in its locale only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from content.events import content_event
from content.models import (
    ContentItem,
    DeliveryChange,
    EventType,
    PublishedDocument,
    PublishedPlanItem,
    Version,
    VersionState,
    bump_generation,
)

from .localising import (
    NOT_TRANSLATED,
    Localised,
    locale_table,
    localise,
    published_translations,
    with_marks,
)
from .rendering import dump, render, render_component

#: Changed answers: locale code -> the ids of the items whose answer in it changed.
Changes = dict[str, set[int]]


def project_publication(version: Version, *, superseded: Version | None) -> None:
    """``version`` has just gone live, replacing ``superseded`` (if any) as the item's
    published version: serve it instead, in every locale (a translation: serve its prose
    where it is the locale's, or the fallback's, current one)."""
    source_id = version.item.source_id or version.item_id
    if superseded is not None:
        PublishedDocument.objects.filter(version=superseded).update(
            live=False, superseded_at=superseded.superseded_at
        )
    changes = refresh_items([source_id])
    if version.item.source_id is None:
        _merge(changes, _refresh_mentions_of(version.item_id))
    _announce_changes(changes)
    content_event(EventType.PUBLISHED, version)


def project_withdrawal(version: Version) -> None:
    """``version`` has just been withdrawn: serve nothing of it from now on (a translation:
    serve the locale's fallback instead)."""
    if version.item.source_id is not None:
        _announce_changes(refresh_items([version.item.source_id]))
    else:
        PublishedDocument.objects.filter(version=version).update(
            live=False, withdrawn_at=version.withdrawn_at
        )
        changes = {code: {version.item_id} for code in locale_table().chains}
        _announce_changes(_merge(changes, _refresh_mentions_of(version.item_id)))
    content_event(EventType.WITHDRAWN, version)


def _merge(first: Changes, second: Changes) -> Changes:
    for code, ids in second.items():
        first.setdefault(code, set()).update(ids)
    return first


def _document_fields(version: Version, localised, rendered) -> dict:
    """The columns of ``version``'s document as ``localised`` renders it (``rendered``)."""
    return {
        "item_id": version.item_id,
        "kind": version.item.kind,
        "slug": version.item.slug,
        "number": version.number,
        "change_note": version.change_note,
        "published_at": version.published_at,
        "served_locale": localised.served,
        "translation": localised.translation,
        **rendered._asdict(),  # body, title, summary, links, plan_items, goal_keys, avoid_keys
    }


def refresh_items(source_item_ids: Iterable[int]) -> Changes:
    """Render the live versions of ``source_item_ids`` in every locale, as the translations,
    locales and vocabularies are now: store the documents of a version just published (or
    of a locale just added), update those whose answer changed. Returns what changed, for
    ``_announce_changes``."""
    table = locale_table()
    live = {
        version.item_id: version
        for version in Version.objects.filter(
            item_id__in=list(source_item_ids), state=VersionState.PUBLISHED
        ).select_related("item")
    }
    translations = published_translations(live)
    documents = {
        (document.item_id, document.locale): document
        for document in PublishedDocument.objects.filter(item_id__in=list(live), live=True)
    }
    changes: Changes = {}
    for item_id, version in live.items():
        for code in table.chains:
            localised = localise(version, code, table, translations.get(item_id, {}))
            rendered = render(version, localised)
            fields = _document_fields(version, localised, rendered)
            found = documents.get((item_id, code))
            if found is None:
                stored = PublishedDocument.objects.create(
                    version=version, locale=code, live=True, **fields
                )
                PublishedPlanItem.objects.bulk_create(
                    PublishedPlanItem(document=stored, component_id=component_id)
                    for component_id in {component_id for component_id, _ in rendered.plan_items}
                )
            elif (found.body, found.links, found.plan_items, found.translation_id) == (
                rendered.body,
                rendered.links,
                rendered.plan_items,
                getattr(localised.translation, "pk", None),
            ):
                continue
            else:
                PublishedDocument.objects.filter(pk=found.pk).update(**fields)
            changes.setdefault(code, set()).add(item_id)
    return changes


def refresh_and_announce(source_item_ids: Iterable[int]) -> None:
    """``refresh_items``, and announce what changed (nothing if nothing did)."""
    changes = refresh_items(source_item_ids)
    if changes:
        _announce_changes(changes)


def _refresh_mentions_of(item_id: int) -> Changes:
    """Re-render the live documents whose interactions name ``item_id``, which has just gone
    live or been withdrawn, so that they name it exactly while it is published. Return the
    items whose documents changed, by locale."""
    mentioning = list(
        PublishedDocument.objects.filter(live=True, version__interactions__other_id=item_id)
        .select_related("version__item")
        .distinct()
    )
    if not mentioning:
        return {}
    table = locale_table()
    translations = published_translations({document.item_id for document in mentioning})
    changed: Changes = {}
    for document in mentioning:
        localised = localise(
            document.version, document.locale, table, translations.get(document.item_id, {})
        )
        rendered = dump(render_component(document.version, localised))
        if rendered != document.body:
            PublishedDocument.objects.filter(pk=document.pk).update(body=rendered)
            changed.setdefault(document.locale, set()).add(document.item_id)
    return changed


def add_locale_documents(code: str) -> None:
    """A locale was added: give every published document one in ``code`` too, and announce
    the live ones. The live are rendered; older versions' documents (the history) are the
    default locale's, saying that they fall back."""
    table = locale_table()
    history = PublishedDocument.objects.filter(locale=table.default, live=False).exclude(
        item_id__in=PublishedDocument.objects.filter(locale=code).values("item_id")
    )
    marks = Localised(locale=code, served=table.default, reason=NOT_TRANSLATED).marks()
    for document in history.filter(withdrawn_at=None):
        document.pk = None
        document.locale = code
        document.body = dump(with_marks(json.loads(document.body), marks))
        document.save(force_insert=True)
    live = PublishedDocument.objects.filter(locale=table.default, live=True)
    refresh_and_announce(live.values_list("item_id", flat=True))


def _announce_changes(changes: Changes) -> None:
    """Record, in the transaction that makes it, that the answers for each locale's items
    changed.

    Bumps the delivery generation (cached answers of the old one are no longer served) and
    writes one ``DeliveryChange`` per item and locale under the new generation, adding every
    live plan that uses one of the items in that locale: a plan is served with its
    components' current documents, so it changes with them. ``/api/v1/sync/`` reads these
    rows.
    """
    changes = {code: ids for code, ids in changes.items() if ids}
    rows = []
    for code, ids in changes.items():
        ids = set(ids) | set(
            PublishedPlanItem.objects.filter(
                document__live=True, document__locale=code, component_id__in=ids
            )
            .values_list("document__item_id", flat=True)
            .distinct()
        )
        rows.extend((code, pk) for pk in ids)
    generation = bump_generation()
    known = dict(
        (pk, (slug, kind))
        for pk, slug, kind in ContentItem.objects.filter(pk__in={pk for _, pk in rows}).values_list(
            "pk", "slug", "kind"
        )
    )
    DeliveryChange.objects.bulk_create(
        DeliveryChange(
            generation=generation, item_id=pk, locale=code, slug=known[pk][0], kind=known[pk][1]
        )
        for code, pk in sorted(rows, key=lambda row: (row[1], row[0]))
    )
