"""Pictures in the workflow: uploading an asset, changing how it is cut, writing the pictures
a draft shows, and the check that a version's renditions are all made before it goes live.

An upload is decoded and cleaned (``content.media.images``) before anything is stored, and
its renditions are made by the job queue, never while a request waits. Changing an asset's
focal point or ratio changes the content hash of every version that shows it: a version
approved with the old crop cannot be published until it is approved again, and what apps
are served keeps the renditions it was published with.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction

from content.errors import ContentInvalid, InvalidTransition
from content.media.images import clean_upload, read_upload
from content.media.renditions import ready, request_renditions
from content.models import Asset, CropRatio, MediaLink, Version

from . import policy
from .snapshot import MediaSpec
from .state import atomic_action
from .validation import plain_text


@dataclass(frozen=True)
class AssetFacts:
    """What an editor says about a picture: what it shows (for editors), its credit and
    licence, and how it is cut (focal point as fractions from the top left; a ratio)."""

    title: str
    credit: str
    licence: str
    focal_x: float | None = None
    focal_y: float | None = None
    ratio: str = ""


def _checked(facts: AssetFacts) -> AssetFacts:
    errors: dict[str, list[str]] = {}
    title, credit, licence = (
        plain_text(facts.title, "title"),
        plain_text(facts.credit, "credit"),
        plain_text(facts.licence, "licence"),
    )
    for name, value, limit in (
        ("title", title, 200),
        ("credit", credit, 300),
        ("licence", licence, 200),
    ):
        if not value:
            errors.setdefault(name, []).append(f"{name}: this field is required.")
        elif len(value) > limit:
            errors.setdefault(name, []).append(f"{name}: at most {limit} characters.")
    focal = (facts.focal_x, facts.focal_y)
    if (focal[0] is None) != (focal[1] is None):
        errors.setdefault("focal_point", []).append(
            "focal_point: give both x and y, or neither (the centre)."
        )
    for value in focal:
        if value is not None and not (
            isinstance(value, int | float) and math.isfinite(value) and 0 <= value <= 1
        ):
            errors.setdefault("focal_point", []).append(
                "focal_point: x and y are fractions of the width and height, from 0 to 1."
            )
            break
    if facts.ratio not in CropRatio.values:
        errors.setdefault("ratio", []).append(
            f"ratio: {facts.ratio!r} is not offered; choose one of "
            f"{', '.join(v or 'the original' for v in CropRatio.values)}."
        )
    if errors:
        first = next(iter(errors.values()))[0]
        raise ContentInvalid(f"The picture's details are not valid: {first}", errors)
    return AssetFacts(title, credit, licence, facts.focal_x, facts.focal_y, facts.ratio)


@atomic_action
def upload_asset(
    *, user: AbstractBaseUser, data: bytes | File, original_name: str, facts: AssetFacts
) -> Asset:
    """Add the picture ``data`` (its bytes, or an uploaded file, read only if it is not over
    the size limit) to the library, cleaned, and enqueue its renditions."""
    policy.require(user, policy.UPLOAD, "upload pictures")
    facts = _checked(facts)
    clean = clean_upload(data if isinstance(data, bytes) else read_upload(data))
    existing = Asset.objects.filter(sha256=clean.sha256).first()
    if existing is not None:
        raise _duplicate(existing)
    asset = Asset(
        title=facts.title,
        credit=facts.credit,
        licence=facts.licence,
        focal_x=facts.focal_x,
        focal_y=facts.focal_y,
        ratio=facts.ratio,
        original_name=plain_text(original_name, "file")[:255],
        content_type=clean.content_type,
        width=clean.width,
        height=clean.height,
        size=len(clean.data),
        sha256=clean.sha256,
        uploaded_by=user,
    )
    name = f"{clean.sha256[:2]}/{clean.sha256}.{clean.extension}"
    asset.file.save(name, ContentFile(clean.data), save=False)
    try:
        with transaction.atomic():
            asset.save()
    except IntegrityError:  # the same file, uploaded at the same moment
        asset.file.delete(save=False)
        raise _duplicate(Asset.objects.get(sha256=clean.sha256)) from None
    request_renditions(asset)
    return asset


def _duplicate(existing: Asset) -> ContentInvalid:
    message = (
        f"This picture is already in the library as '{existing.title}' (uploaded "
        f"{existing.uploaded_at:%d %b %Y}); use that one."
    )
    return ContentInvalid(message, {"file": [message]})


@atomic_action
def change_asset(*, user: AbstractBaseUser, asset: Asset, facts: AssetFacts) -> Asset:
    """Change what is said about ``asset`` and how it is cut; a new crop's renditions are
    enqueued, and the old ones are kept for what was published with them."""
    policy.require(user, policy.CHANGE_ASSET, "change pictures")
    facts = _checked(facts)
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    for name in ("title", "credit", "licence", "focal_x", "focal_y", "ratio"):
        setattr(asset, name, getattr(facts, name))
    asset.save()
    request_renditions(asset)
    return asset


def write_media(version: Version, media: tuple[MediaSpec, ...], *, replacing: bool) -> None:
    """Write the pictures the draft ``version`` shows (validated already), numbered in order,
    and ask for any renditions their crops still lack."""
    if replacing:
        MediaLink.objects.filter(version=version).delete()
    assets = Asset.objects.in_bulk({m.asset for m in media}, field_name="sha256")
    MediaLink.objects.bulk_create(
        MediaLink(
            version=version,
            asset=assets[m.asset],
            role=m.role,
            step=m.step,
            alt="" if m.decorative else m.alt.strip(),
            decorative=m.decorative,
            order=n,
        )
        for n, m in enumerate(media, start=1)
    )
    for asset in assets.values():
        request_renditions(asset)


def check_media_ready(version: Version) -> None:
    """Refuse to publish ``version`` while a picture it shows lacks renditions (the job
    queue is still making them): apps would be sent pictures that are not there."""
    links = MediaLink.objects.filter(version=version).select_related("asset").order_by("order")
    shown = {link.asset_id: link.asset for link in links}  # each asset once
    waiting = [asset.title for asset in shown.values() if not ready(asset)]
    if waiting:
        names = ", ".join(f"'{title}'" for title in waiting)
        raise InvalidTransition(
            f"The renditions of {names} in version {version.number} of '{version.item.slug}' "
            "are still being made by the job worker; publish it again in a minute."
        )
