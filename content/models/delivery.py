"""What the delivery API serves: each published version rendered once, when it went live."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from .content import ContentItem, Version


def id_keys(ids: Iterable[int]) -> str:
    """``ids`` as ``goal_keys`` and ``avoid_keys`` hold them: each once, in order, between
    bars ("|3|17|"); "" for none."""
    ordered = sorted(set(ids))
    return f"|{'|'.join(str(i) for i in ordered)}|" if ordered else ""


def id_key(pk: int) -> str:
    """What ``goal_keys`` or ``avoid_keys`` contain when they hold ``pk``: filtering on it is
    one ``__contains`` (a LIKE '%|3|%' on both databases)."""
    return f"|{pk}|"


class PublishedDocument(models.Model):
    """The rendered JSON of one published version in one locale, with the few columns the API
    filters on.

    Each published version has a document in every locale, its fallback already chosen:
    the prose of the locale's current translation, or of the first locale of its fallback
    chain that has one (the source's at the end), saying so. Written by the workflow at
    publication (and when the version is superseded or withdrawn, or a translation of it
    published or withdrawn); read by the delivery API, which never serialises content per
    request.
    """

    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="documents")
    item = models.ForeignKey(ContentItem, on_delete=models.PROTECT, related_name="documents")
    #: The locale this document answers for, and the one its prose is in (they differ when
    #: it falls back), and the translation version whose prose it carries, if any.
    locale = models.CharField(max_length=20)
    served_locale = models.CharField(max_length=20)
    translation = models.ForeignKey(
        Version, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20)
    slug = models.SlugField(max_length=100)
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    summary = models.TextField()
    change_note = models.TextField()
    # Ids between bars ("|3|17|"), so that a filter is one LIKE '%|3|%' on both databases:
    # written with ``id_keys``, searched with ``id_key``.
    goal_keys = models.TextField(blank=True)
    avoid_keys = models.TextField(blank=True)
    # [[contraindication id, slug, severity, note], ...]: what personalisation needs, nothing more.
    links = models.JSONField(default=list)
    body = models.TextField(help_text="The rendered JSON object, UTF-8, compact.")
    # Plans only: [[component item id, '...rest of the item after its component'], ...] in
    # order; the API puts each component's live document in front of its rest.
    plan_items = models.JSONField(default=list, blank=True)
    published_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    live = models.BooleanField(default=True, help_text="Served now as the item's current version.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["item", "number", "locale"], name="document_item_number_locale_unique"
            ),
            models.UniqueConstraint(
                fields=["slug", "locale"],
                condition=models.Q(live=True),
                name="one_live_document_per_slug_locale",
            ),
        ]
        indexes = [
            models.Index(fields=["live", "locale", "kind", "slug"], name="document_live_kind_slug"),
            models.Index(fields=["live", "locale", "slug"], name="document_live_slug"),
        ]

    def __str__(self) -> str:
        return f"{self.slug} v{self.number} {self.locale}{' (live)' if self.live else ''}"


class PublishedPlanItem(models.Model):
    """Which components a published plan uses, so SQL can tell whether any is still suitable."""

    document = models.ForeignKey(
        PublishedDocument, on_delete=models.CASCADE, related_name="component_rows"
    )
    component = models.ForeignKey(ContentItem, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.document} uses {self.component_id}"


class DeliveryChange(models.Model):
    """One item whose served answer in one locale changed, under the delivery generation that
    changed it.

    Written in the transaction of every publication and withdrawal (and for the items whose
    answers they change: documents naming the item, plans using it), after the generation
    was bumped. The generation row is locked from the bump to the commit, so generations
    commit in order: once generation N is visible, every change up to N is. ``/sync/``
    reads the changes between two generations; what it serves is the items' state now.
    """

    generation = models.BigIntegerField()
    item = models.ForeignKey(ContentItem, on_delete=models.PROTECT, related_name="+")
    #: The locale whose answer changed: sync reads the changes of its token's locale.
    locale = models.CharField(max_length=20)
    # The item's (immutable) slug and kind, so that reading a range of changes in slug order
    # touches only the rows of that range.
    slug = models.SlugField(max_length=100)
    kind = models.CharField(max_length=20)

    class Meta:
        indexes = [models.Index(fields=["locale", "generation"], name="change_locale_generation")]

    def __str__(self) -> str:
        return f"{self.item_id} changed in generation {self.generation}"
