"""Renditions: made by the job queue, read from their rows.

``request_renditions`` enqueues the job for a crop of an asset whose renditions are not all
there (on upload, when a crop changes, when a draft shows it; the worker's sweep asks again
for any a lost job left missing). ``make_renditions`` is the job: it reads the cleaned
original once and writes every missing width and format. ``served`` is what the read model
stores of a picture: its rows and URLs only, never the storage.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Count
from django_tasks import task

from content.models import Asset, Rendition

from .images import crop_size, render, rendition_formats, widths_for

_EXTENSIONS = {"avif": "avif", "webp": "webp", "jpeg": "jpeg"}


def wanted(asset: Asset, crop: str) -> set[tuple[int, str]]:
    """The (width, format) pairs a complete set of ``asset``'s renditions for ``crop`` has."""
    width, _ = crop_size((asset.width, asset.height), crop)
    return {(w, f) for w in widths_for(width) for f in rendition_formats()}


def missing(asset: Asset, crop: str) -> set[tuple[int, str]]:
    made = set(Rendition.objects.filter(asset=asset, crop=crop).values_list("width", "format"))
    return wanted(asset, crop) - made


def ready(asset: Asset) -> bool:
    """Whether every rendition of ``asset`` for its current crop is made."""
    return not missing(asset, asset.crop)


def crops(asset: Asset) -> list[str]:
    """The crops an asset is made in: whole (what the admin shows), and its own if set."""
    return sorted({"", asset.crop})


def request_renditions(asset: Asset) -> int:
    """Enqueue the job for each of ``asset``'s crops that lacks renditions (in the current
    transaction: it runs once that commits). Returns how many jobs."""
    count = 0
    for crop in crops(asset):
        if missing(asset, crop):
            make_renditions.enqueue(asset.pk, crop)
            count += 1
    return count


def sweep() -> int:
    """Ask again for the renditions that every asset's crops still lack (a job was lost,
    or the configured widths changed). Returns how many jobs were enqueued."""
    counts = {
        (row["asset_id"], row["crop"]): row["n"]
        for row in Rendition.objects.values("asset_id", "crop").annotate(n=Count("id"))
    }
    count = 0
    for asset in Asset.objects.all().iterator():
        for crop in crops(asset):
            if counts.get((asset.pk, crop), 0) < len(wanted(asset, crop)):
                make_renditions.enqueue(asset.pk, crop)
                count += 1
    return count


def _name(asset: Asset, width: int, fmt: str, sha256: str) -> str:
    return f"renditions/{asset.sha256[:16]}/{sha256[:20]}-{width}w.{_EXTENSIONS[fmt]}"


@task()
def make_renditions(asset_id: int, crop: str) -> int:
    """Make every missing rendition of asset ``asset_id`` for ``crop``; return how many."""
    asset = Asset.objects.get(pk=asset_id)
    todo = missing(asset, crop)
    if not todo:
        return 0
    with asset.file.open("rb") as handle:
        data = handle.read()
    widths = tuple(sorted({w for w, _ in todo}))
    made = 0
    for rendition in render(data, crop, widths, rendition_formats()):
        if (rendition.width, rendition.format) not in todo:
            continue
        name = _name(asset, rendition.width, rendition.format, rendition.sha256)
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(rendition.data))
        try:
            with transaction.atomic():
                Rendition.objects.create(
                    asset=asset,
                    crop=crop,
                    width=rendition.width,
                    height=rendition.height,
                    format=rendition.format,
                    file=name,
                    size=len(rendition.data),
                    sha256=rendition.sha256,
                )
        except IntegrityError:  # another worker made it meanwhile
            continue
        made += 1
    return made


def url(name: str) -> str:
    """The public URL of a stored file: the storage's, on ``SITE_URL`` when it is a path."""
    address = default_storage.url(name)
    return settings.SITE_URL + address if address.startswith("/") else address


def served(assets: Iterable[Asset]) -> dict[int, list[dict]]:
    """Each asset's renditions for its current crop, as the API lists them (the best
    format first, narrow to wide), by asset id: one query, no storage access but
    ``url``'s, which for the configured storages only joins strings."""
    assets = list(assets)
    order = {fmt: n for n, fmt in enumerate(rendition_formats())}
    found: dict[int, list[dict]] = defaultdict(list)
    rows = Rendition.objects.filter(asset__in=assets).order_by("width")
    current = {asset.pk: asset.crop for asset in assets}
    for row in rows:
        if row.crop == current[row.asset_id] and row.format in order:
            found[row.asset_id].append(
                {
                    "width": row.width,
                    "height": row.height,
                    "format": row.format,
                    "url": url(row.file.name),
                }
            )
    for entries in found.values():
        entries.sort(key=lambda e: (order[e["format"]], e["width"]))
    return found
