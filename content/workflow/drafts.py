"""Writing content: create a component, edit its draft, revise or roll back to a new draft,
or discard a draft."""

from __future__ import annotations

from dataclasses import replace

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from content.errors import ContentInvalid, StaleEdit
from content.kinds import PLAN, Kind
from content.models import (
    WORKING_STATES,
    AuditAction,
    Citation,
    ContentItem,
    Contraindication,
    ContraindicationLink,
    Goal,
    Interaction,
    PlanItem,
    Version,
    VersionGoal,
    VersionState,
)
from content.models.content import SLUG_MAX_LENGTH
from content.models.vocabulary import slug_validator

from . import policy
from .audit import record
from .checks import (
    check_discard,
    check_edit,
    check_revise,
    check_roll_back,
    check_source_published,
)
from .media import write_media
from .snapshot import (
    Content,
    PlanContent,
    TranslationContent,
    VersionContent,
    content_hash,
    read_content,
)
from .state import atomic_action, lock_item, lock_version, transition
from .translations import validate_version_content, write_translation
from .validation import plain_text, validate_content


def _write_content(version: Version, content: Content) -> None:
    """Replace everything the draft ``version`` says with ``content`` (a new version has no
    parts yet to replace)."""
    if isinstance(content, TranslationContent):
        write_translation(version, content)
        return
    replacing = version.pk is not None
    version.title = content.title
    version.summary = content.summary
    version.body = content.body
    version.change_note = content.change_note
    if isinstance(content, PlanContent):
        version.duration_weeks = content.duration_weeks
    else:
        version.details = content.details
        version.evidence_level = content.evidence_level
    version.save()

    if replacing:
        VersionGoal.objects.filter(version=version).delete()
    goals = Goal.objects.in_bulk(content.goals, field_name="slug")
    VersionGoal.objects.bulk_create(
        VersionGoal(version=version, goal=goals[slug]) for slug in content.goals
    )
    if isinstance(content, PlanContent):
        _write_plan_items(version, content, replacing=replacing)
    else:
        _write_component_parts(version, content, replacing=replacing)
    write_media(version, content.media, replacing=replacing)


def _write_plan_items(version: Version, content: PlanContent, *, replacing: bool) -> None:
    if replacing:
        PlanItem.objects.filter(version=version).delete()
    components = ContentItem.objects.in_bulk(
        [i.component for i in content.items], field_name="slug"
    )
    PlanItem.objects.bulk_create(
        PlanItem(
            version=version,
            component=components[i.component],
            slot=i.slot,
            week_from=i.week_from,
            week_to=i.week_to,
            frequency=i.frequency,
            order=i.order,
            note=i.note,
        )
        for i in content.items
    )


def _write_component_parts(version: Version, content: VersionContent, *, replacing: bool) -> None:
    if replacing:
        ContraindicationLink.objects.filter(version=version).delete()
        Interaction.objects.filter(version=version).delete()
        Citation.objects.filter(version=version).delete()
    vocabulary = Contraindication.objects.in_bulk(
        [c.contraindication for c in content.contraindications], field_name="slug"
    )
    ContraindicationLink.objects.bulk_create(
        ContraindicationLink(
            version=version,
            contraindication=vocabulary[c.contraindication],
            severity=c.severity,
            note=c.note,
        )
        for c in content.contraindications
    )
    items = ContentItem.objects.in_bulk(
        [i.component for i in content.interactions], field_name="slug"
    )
    Interaction.objects.bulk_create(
        Interaction(version=version, other=items[i.component], severity=i.severity, note=i.note)
        for i in content.interactions
    )
    Citation.objects.bulk_create(
        Citation(version=version, order=n, title=c.title, doi=c.doi, pmid=c.pmid, url=c.url)
        for n, c in enumerate(content.citations)
    )


@atomic_action
def create_component(
    *, user: AbstractBaseUser, kind: str, slug: str, content: VersionContent
) -> Version:
    """Create a component with ``content`` as its first draft, version 1."""
    return _create_item(user=user, kind=kind, slug=slug, content=content, kinds=Kind.values)


@atomic_action
def create_plan(*, user: AbstractBaseUser, slug: str, content: PlanContent) -> Version:
    """Create a plan with ``content`` as its first draft, version 1."""
    return _create_item(user=user, kind=PLAN, slug=slug, content=content, kinds=[PLAN])


def _create_item(
    *, user: AbstractBaseUser, kind: str, slug: str, content: Content, kinds: list[str]
) -> Version:
    policy.require(user, policy.CREATE, "create content")
    if kind not in kinds:
        message = f"Unknown kind '{kind}'; choose one of {', '.join(kinds)}."
        raise ContentInvalid(message, {"kind": [f"kind: {message}"]})
    try:
        slug_validator(slug)
        if len(slug) > SLUG_MAX_LENGTH:
            raise ValidationError("too long")
    except ValidationError:
        message = (
            f"'{slug[:SLUG_MAX_LENGTH]}' is not a valid slug: use up to {SLUG_MAX_LENGTH} "
            "lower-case letters, digits and single hyphens."
        )
        raise ContentInvalid(message, {"slug": [f"slug: {message}"]}) from None
    if ContentItem.objects.filter(slug=slug).exists():
        raise _slug_taken(slug)
    validate_content(kind=kind, slug=slug, content=content, draft=True)
    try:
        with transaction.atomic():
            item = ContentItem.objects.create(kind=kind, slug=slug, created_by=user)
    except IntegrityError:
        raise _slug_taken(slug) from None
    version = Version(item=item, number=1, created_by=user)
    _write_content(version, content)
    record(version=version, action=AuditAction.CREATE, actor=user, from_state="")
    return version


def _slug_taken(slug: str) -> ContentInvalid:
    message = f"The slug '{slug}' is already taken; choose another."
    return ContentInvalid(message, {"slug": [f"slug: {message}"]})


@atomic_action
def edit_draft(
    *,
    version: Version,
    user: AbstractBaseUser,
    content: Content,
    expected_edit_count: int,
) -> Version:
    """Replace what the draft ``version`` says with ``content``.

    ``expected_edit_count`` is the ``edit_count`` the editor's copy was loaded with: if the
    draft was saved by someone else since, the edit is refused rather than overwriting theirs.
    """
    version = lock_version(version)
    check_edit(user=user, version=version)
    if version.edit_count != expected_edit_count:
        raise StaleEdit(
            f"Version {version.number} of '{version.item.slug}' was changed by someone else "
            f"since you opened it (edit {version.edit_count}, you had edit {expected_edit_count}). "
            "Reload it and apply your changes again; nothing was saved."
        )
    validate_version_content(version, content, draft=True)
    version.edit_count += 1
    _write_content(version, content)
    record(version=version, action=AuditAction.EDIT, actor=user, from_state=VersionState.DRAFT)
    return version


def _close_working_version(item: ContentItem, user: AbstractBaseUser, new_number: int) -> None:
    """Make way for a new draft: close a version that review sent back or that waits
    unpublished, recording that it was superseded by the revision (``check_revise`` has
    refused a draft or review under way)."""
    working = (
        Version.objects.select_for_update().filter(item=item, state__in=WORKING_STATES).first()
    )
    if working is not None:
        transition(
            working,
            to=VersionState.SUPERSEDED,
            action=AuditAction.SUPERSEDE,
            actor=user,
            comment=f"Replaced by version {new_number} before publication.",
        )


def _new_draft_from(*, source: Version, user: AbstractBaseUser, action: str, change_note: str):
    """A new draft of ``source``'s item with ``source``'s content, once ``action``'s check
    passes under the item's lock."""
    item = lock_item(source)
    source = Version.objects.get(pk=source.pk)
    source.item = item
    check = check_roll_back if action == AuditAction.ROLLBACK else check_revise
    check(user=user, version=source)
    change_note = plain_text(change_note, "change_note")
    number = (Version.objects.filter(item=item).aggregate(n=Max("number"))["n"] or 0) + 1
    _close_working_version(item, user, number)
    content = read_content(source)
    note = change_note or (
        f"Rolled back to version {source.number}."
        if action == AuditAction.ROLLBACK
        else f"Revision of version {source.number}."
    )
    draft = Version(item=item, number=number, created_by=user, based_on=source)
    if item.source_id is not None:  # a translation's new draft translates what is published
        published = check_source_published(item)
        draft.translates, draft.source_hash = published, published.content_hash
    _write_content(draft, replace(content, change_note=note))
    record(
        version=draft,
        action=action,
        actor=user,
        from_state="",
        comment=f"Based on version {source.number}.",
    )
    return draft


@atomic_action
def revise(*, version: Version, user: AbstractBaseUser, change_note: str = "") -> Version:
    """Start a new draft from ``version`` (any submitted version of the item)."""
    return _new_draft_from(
        source=version, user=user, action=AuditAction.REVISE, change_note=change_note
    )


@atomic_action
def roll_back(*, version: Version, user: AbstractBaseUser, change_note: str = "") -> Version:
    """Start a new draft that restores ``version``, an earlier published version.

    It is reviewed again like any change before it goes live.
    """
    return _new_draft_from(
        source=version, user=user, action=AuditAction.ROLLBACK, change_note=change_note
    )


@atomic_action
def discard(*, version: Version, user: AbstractBaseUser, reason: str = "") -> Version:
    """Throw away ``version``, a draft or a version sent back for changes; ``reason`` (if
    given) is kept in the audit log.

    The version is kept, as discarded, and never goes anywhere again. If nothing of its item
    was ever published and nothing else of it is kept, the item goes with it: it is marked
    discarded and its slug renamed, so that a new item can take the slug. An item that was
    ever published keeps its slug, and apps keep receiving what they received.
    """
    version = lock_version(version)
    check_discard(user=user, version=version)
    item = version.item
    frees_slug = discard_frees_slug(version)
    comment = plain_text(reason, "reason") or "Discarded."
    if frees_slug:
        renamed = _discarded_slug(item)
        comment = (
            f"{comment.rstrip(' .')}; the slug '{item.slug}' is free again "
            f"(the item is kept as '{renamed}')."
        )
    # A version that leaves draft holds the hash of what it says (here: what was thrown away).
    sealed = {"content_hash": content_hash(version)} if version.state == VersionState.DRAFT else {}
    transition(
        version,
        to=VersionState.DISCARDED,
        action=AuditAction.DISCARD,
        actor=user,
        comment=comment,
        **sealed,
    )
    if frees_slug:
        item.slug, item.discarded_at = renamed, timezone.now()
        ContentItem.objects.filter(pk=item.pk).update(
            slug=item.slug, discarded_at=item.discarded_at
        )
    return version


def discard_frees_slug(version: Version) -> bool:
    """Whether discarding ``version`` takes its item with it and frees the slug: nothing else
    of the item keeps the slug taken (``_kept_versions``). A translation's item is never
    taken: its slug is its source's and locale's, and the next translation starts there."""
    if version.item.source_id is not None:
        return False
    return not _kept_versions(version.item, besides=version).exists()


def _kept_versions(item: ContentItem, *, besides: Version):
    """``item``'s versions other than ``besides`` that keep its slug taken: any that was
    ever published (apps may have stored the slug) or is still on its way there."""
    ever_published = (
        Q(published_at__isnull=False)
        | Q(superseded_at__isnull=False)  # set only when a published version is superseded
        | Q(state__in=(VersionState.PUBLISHED, VersionState.WITHDRAWN))
    )
    return (
        Version.objects.filter(item_id=item.pk)
        .exclude(pk=besides.pk)
        .filter(ever_published | Q(state__in=WORKING_STATES))
    )


def _discarded_slug(item: ContentItem) -> str:
    """A valid, unused slug for the discarded ``item`` that still shows what it was called:
    ``discarded-<id>-<slug>``, cut to the slug's maximum length."""
    max_length = SLUG_MAX_LENGTH
    base = f"discarded-{item.pk}-{item.slug}"[:max_length].rstrip("-")
    candidate, n = base, 1
    while ContentItem.objects.filter(slug=candidate).exists():  # someone chose that name
        n += 1
        suffix = f"-{n}"
        candidate = base[: max_length - len(suffix)].rstrip("-") + suffix
    return candidate
