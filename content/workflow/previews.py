"""Preview links: an app shows one version before it is published (a plan's, with drafts of
its components in place of the live ones if the link names them), for a while.

A link is a row (``PreviewLink``) bound to the version's id and content hash, and to those of
each draft it names; a draft has no hash stored until it is submitted, so its hash is
computed (``current_hash``). The token handed out names the row, the version, the hash and
the expiry, signed with the project's secret under a salt of its own. Opening a token checks
it all again: a token that was changed, has expired or was revoked, or whose version (or a
draft it names) says something else now, is refused with ``PreviewRefused``; nothing falls
back to the published version.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.db.models import F, QuerySet
from django.utils import timezone

from content.errors import ContentInvalid, InvalidTransition, PermissionRefused, PreviewRefused
from content.kinds import PLAN
from content.models import (
    WORKING_STATES,
    AuditAction,
    Locale,
    PlanItem,
    PreviewLink,
    Version,
    VersionState,
    canonical_locale,
)

from . import policy
from .audit import record
from .snapshot import content_hash
from .state import atomic_action

#: Who may make a link: anyone who may see versions (editors, reviewers, translators).
VIEW = "content.view_version"
DEFAULT_EXPIRY = timedelta(hours=1)
MAX_EXPIRY = timedelta(hours=24)
_SALT = "content.workflow.previews"
#: Longer than any token this module signs: refused before anything is decoded.
_MAX_TOKEN = 600
#: States of versions that will never be published as they are: nothing to preview.
_GONE = (VersionState.DISCARDED, VersionState.SUPERSEDED, VersionState.WITHDRAWN)


def current_hash(version: Version) -> str:
    """The hash of what ``version`` says now: stored since it was submitted; a draft's,
    computed."""
    if version.state == VersionState.DRAFT:
        return content_hash(version)
    return version.content_hash


def _named(version: Version) -> str:
    return f"Version {version.number} of '{version.item.slug}'"


def check_make_preview_link(*, user: AbstractBaseUser, version: Version) -> None:
    """Anyone who may see versions makes links, to any version that may still go live (or
    is live): not to one discarded, superseded or withdrawn."""
    policy.require(user, VIEW, "make preview links")
    if version.state in _GONE:
        raise InvalidTransition(
            f"{_named(version)} is {version.get_state_display().lower()} and will never be "
            "published as it is: there is nothing to preview. Preview the item's working "
            "or published version instead."
        )


def check_revoke_preview_link(*, user: AbstractBaseUser, link: PreviewLink) -> None:
    """A link is revoked by the person who made it or by a reviewer, once."""
    if not getattr(user, "is_active", False) or not (
        user.pk == link.created_by_id or user.has_perm(policy.REVIEW)
    ):
        raise PermissionRefused(
            f"{user} may not revoke this preview link: only the person who made it "
            f"({link.created_by}) or a reviewer may."
        )
    if link.revoked_at is not None:
        raise InvalidTransition(
            f"This preview link was already revoked at {link.revoked_at:%Y-%m-%d %H:%M} UTC."
        )


def component_drafts(version: Version) -> list[Version]:
    """The working versions of the components that ``version`` (a plan, or a translation of
    one) uses: the drafts its preview may show in place of the live components."""
    if version.item.kind != PLAN:
        return []
    used = PlanItem.objects.filter(version_id=version.translates_id or version.pk)
    return list(
        Version.objects.filter(item_id__in=used.values("component_id"), state__in=WORKING_STATES)
        .select_related("item")
        .order_by("item__slug")
    )


def live_preview_links(version: Version) -> QuerySet[PreviewLink]:
    """The links to ``version`` that are neither revoked nor expired, newest first."""
    return PreviewLink.objects.filter(
        version=version, revoked_at=None, expires_at__gt=timezone.now()
    ).select_related("created_by")


def _link_locale(version: Version, locale: str) -> str:
    """The locale a link shows: one known, or "" (the one each request asks for); a
    translation's link shows its own locale only."""
    own = version.item.locale.code if version.item.source_id is not None else None
    if not locale.strip():
        return own or ""
    code = canonical_locale(locale.strip())
    if code is None or not Locale.objects.filter(code=code).exists():
        known = ", ".join(Locale.objects.order_by("code").values_list("code", flat=True))
        message = (
            f"Unknown locale '{locale.strip()[:40]}'; use one of {known}, or none to show "
            "the locale each request asks for."
        )
        raise ContentInvalid(message, {"locale": [message]})
    if own is not None and code != own:
        message = (
            f"{_named(version)} is a translation into '{own}': its preview shows '{own}' only."
        )
        raise ContentInvalid(message, {"locale": [message]})
    return code


def _drafts_shown(version: Version, drafts: Iterable[Version]) -> dict[str, list]:
    """The link's ``drafts``: ``{"<component item id>": [version id, hash]}``, each one a
    working version of a component ``version`` (a plan) uses."""
    drafts = list(drafts)
    if not drafts:
        return {}
    if version.item.kind != PLAN:
        message = (
            f"{_named(version)} is a component: only a plan's preview shows drafts of other "
            "components, in place of the live ones it uses."
        )
        raise ContentInvalid(message, {"drafts": [message]})
    usable = {draft.pk: draft for draft in component_drafts(version)}
    shown: dict[str, list] = {}
    for given in drafts:
        draft = usable.get(given.pk)
        if draft is None:
            given = Version.objects.select_related("item").get(pk=given.pk)
            message = (
                f"{_named(given)} is {given.get_state_display().lower()}: only a working "
                "version (a draft, or one in review or approved) can stand in for a live "
                "component."
                if given.state not in WORKING_STATES
                else f"'{given.item.slug}' is not one of this plan's components: its preview "
                "shows drafts of its own components only."
            )
            raise ContentInvalid(message, {"drafts": [message]})
        shown[str(draft.item_id)] = [draft.pk, current_hash(draft)]
    return shown


@atomic_action
def make_preview_link(
    *,
    user: AbstractBaseUser,
    version: Version,
    locale: str = "",
    drafts: Iterable[Version] = (),
    expires_in: timedelta = DEFAULT_EXPIRY,
) -> tuple[PreviewLink, str]:
    """Make a link that shows ``version`` (in ``locale``, or the one each request asks for;
    for a plan, with ``drafts`` of its components in place of the live ones) until
    ``expires_in`` from now (at most 24 hours). Returns the link and its token."""
    version = Version.objects.select_related("item__locale").get(pk=version.pk)
    check_make_preview_link(user=user, version=version)
    if not timedelta(0) < expires_in <= MAX_EXPIRY:
        message = (
            "A preview link lasts at most 24 hours (and more than none); "
            f"{expires_in.total_seconds() / 3600:g} hours were asked."
        )
        raise ContentInvalid(message, {"expires_in": [message]})
    locale = _link_locale(version, locale)
    shown = _drafts_shown(version, drafts)
    # To the second: the token carries the expiry in whole seconds.
    expires_at = (timezone.now() + expires_in).replace(microsecond=0)
    link = PreviewLink.objects.create(
        version=version,
        content_hash=current_hash(version),
        locale=locale,
        drafts=shown,
        created_by=user,
        expires_at=expires_at,
    )
    named = Version.objects.filter(pk__in=[pk for pk, _ in shown.values()]).select_related("item")
    record(
        version=version,
        action=AuditAction.PREVIEW_LINK,
        actor=user,
        from_state=version.state,
        comment=(
            f"Preview link {link.pk} of content hash {link.content_hash[:12]}: "
            f"locale {locale or 'as each request asks'}, expires {expires_at:%Y-%m-%d %H:%M} "
            f"UTC; drafts shown: "
            + (", ".join(f"{d.item.slug} v{d.number}" for d in named.order_by("pk")) or "none")
            + "."
        ),
    )
    return link, preview_token(link)


def _signer() -> signing.Signer:
    # Made per use: the secret is read from the settings as they are now. The separator is
    # "." so that the whole token is unreserved URL characters.
    return signing.Signer(salt=_SALT, sep=".")


def preview_token(link: PreviewLink) -> str:
    """The signed token of ``link``: its id, version, content hash and expiry."""
    payload = {
        "link": link.pk.hex,
        "version": link.version_id,
        "hash": link.content_hash,
        "expires": int(link.expires_at.timestamp()),
    }
    return _signer().sign_object(payload)


def _invalid() -> PreviewRefused:
    return PreviewRefused(
        "This preview link is not valid: it was changed or cut short on its way, or it was "
        "not made by this server. Ask for a new link.",
        "invalid",
    )


def _expired(at: datetime) -> PreviewRefused:
    return PreviewRefused(
        f"This preview link expired at {at.astimezone(UTC):%Y-%m-%d %H:%M} UTC. Ask for a "
        "new link.",
        "expired",
    )


def _read_token(token: str) -> tuple[uuid.UUID, int, str, int]:
    """The link id, version id, hash and expiry (a timestamp) ``token`` was signed with."""
    if len(token) > _MAX_TOKEN:
        raise _invalid()
    try:
        payload = _signer().unsign_object(token)
        found = (
            uuid.UUID(hex=payload["link"]),
            payload["version"],
            payload["hash"],
            payload["expires"],
        )
    except (signing.BadSignature, ValueError, TypeError, KeyError, AttributeError) as error:
        raise _invalid() from error
    if not (isinstance(found[1], int) and isinstance(found[2], str) and isinstance(found[3], int)):
        raise _invalid()
    return found


def _check_unchanged(version: Version, expected: str) -> None:
    if version.state in _GONE:
        raise PreviewRefused(
            f"{_named(version)} was {version.get_state_display().lower()} since this preview "
            "link was made: it will never be published as it is. Make a new link to preview "
            "what is current.",
            "changed",
        )
    if current_hash(version) != expected:
        raise PreviewRefused(
            f"{_named(version)} changed since this preview link was made. Make a new link "
            "to preview it as it is now.",
            "changed",
        )


@atomic_action
def open_preview(token: str) -> PreviewLink:
    """The link ``token`` opens, with its ``version`` as it is now; refused
    (``PreviewRefused``) unless the token is one this server signed, neither it nor the link
    expired, the link was not revoked, and the version and each draft it names still say
    what they said when it was made. Records the opening.

    The versions the link names stay locked until the caller's transaction ends (an edit
    waits): render what is shown in the same transaction, so that it is what was checked.
    """
    link_id, version_id, signed_hash, expires = _read_token(token)
    now = timezone.now()
    if expires <= now.timestamp():
        raise _expired(datetime.fromtimestamp(expires, UTC))
    link = PreviewLink.objects.filter(pk=link_id).first()
    if link is None or (link.version_id, link.content_hash) != (version_id, signed_hash):
        raise _invalid()
    if link.revoked_at is not None:
        raise PreviewRefused(
            f"This preview link was revoked at {link.revoked_at:%Y-%m-%d %H:%M} UTC. Ask for "
            "a new link.",
            "revoked",
        )
    if link.expires_at <= now:
        raise _expired(link.expires_at)
    expected = {link.version_id: link.content_hash}
    expected.update({pk: hash_ for pk, hash_ in link.drafts.values()})
    locked = (
        Version.objects.select_for_update(of=("self",))
        .filter(pk__in=list(expected))
        .select_related("item__locale")
        .order_by("pk")
    )
    versions = {version.pk: version for version in locked}
    if set(versions) != set(expected):
        raise _invalid()
    for pk in sorted(expected, key=lambda pk: pk != link.version_id):  # the link's own first
        _check_unchanged(versions[pk], expected[pk])
    link.version = versions[link.version_id]
    PreviewLink.objects.filter(pk=link.pk).update(opened=F("opened") + 1, last_opened_at=now)
    link.opened, link.last_opened_at = link.opened + 1, now
    record(
        version=link.version,
        action=AuditAction.PREVIEW_OPEN,
        actor=None,
        from_state=link.version.state,
        comment=f"Preview link {link.pk} opened ({link.opened} so far).",
    )
    return link


def shown_drafts(link: PreviewLink) -> dict[int, Version]:
    """The drafts ``link`` shows in place of live components: component item id -> version."""
    ids = {int(item_id): pk for item_id, (pk, _) in link.drafts.items()}
    found = Version.objects.select_related("item").in_bulk(list(ids.values()))
    return {item_id: found[pk] for item_id, pk in ids.items() if pk in found}


@atomic_action
def revoke_preview_link(*, user: AbstractBaseUser, link: PreviewLink) -> PreviewLink:
    """Revoke ``link``: its token opens nothing from now on."""
    link = (
        PreviewLink.objects.select_for_update(of=("self",))
        .select_related("created_by")
        .get(pk=link.pk)
    )
    check_revoke_preview_link(user=user, link=link)
    link.revoked_at, link.revoked_by = timezone.now(), user
    link.save(update_fields=["revoked_at", "revoked_by"])
    version = Version.objects.select_related("item").get(pk=link.version_id)
    record(
        version=version,
        action=AuditAction.PREVIEW_REVOKE,
        actor=user,
        from_state=version.state,
        comment=f"Preview link {link.pk} revoked.",
    )
    return link
