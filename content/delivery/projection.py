"""The one way into the read model: what the workflow's publications and withdrawals do to
what the API serves.

The workflow calls these inside the transaction that changes a version's state, after saving
it; they store or retire the rendered documents, keep the documents that mention the item
exact, and announce the change (a new delivery generation and one change row per item
touched), all in that transaction.
"""

from __future__ import annotations

from content.models import PublishedDocument, Version

from .changes import announce_changes
from .rendering import refresh_mentions_of, store_document


def project_publication(version: Version, *, superseded: Version | None) -> None:
    """``version`` has just gone live, replacing ``superseded`` (if any) as the item's
    published version: serve it instead."""
    if superseded is not None:
        PublishedDocument.objects.filter(version=superseded).update(
            live=False, superseded_at=superseded.superseded_at
        )
    store_document(version)
    announce_changes({version.item_id, *refresh_mentions_of(version.item_id)})


def project_withdrawal(version: Version) -> None:
    """``version`` has just been withdrawn: serve nothing of it from now on."""
    PublishedDocument.objects.filter(version=version).update(
        live=False, withdrawn_at=version.withdrawn_at
    )
    announce_changes({version.item_id, *refresh_mentions_of(version.item_id)})
