"""Pictures as the admin shows them: a thumbnail of each asset (the smallest WebP or JPEG of
the whole picture, once the job worker has made all of its renditions), the pictures a
version shows, with their role, alt text and credit, and what changed in them between two
versions.

Everything here reads rows (assets and renditions), never the storage: a page with pictures
costs two queries, whatever the number of pictures, and one without pictures none.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from content.media.renditions import wanted
from content.models import Asset, MediaRole, Rendition
from content.workflow.snapshot import MediaSpec

#: What every browser shows, best first (AVIF is not shown everywhere yet).
SHOWN_FORMATS = ("webp", "jpeg")
#: The widest rendition the focal point picker shows.
PICKER_WIDTH = 1024


@dataclass(frozen=True)
class Thumbnail:
    url: str
    width: int
    height: int


def _image(row: Rendition) -> Thumbnail:
    # The storage's own URL: a path on this server for the filesystem storage, which the
    # admin's Content Security Policy ('self') lets the browser load.
    return Thumbnail(row.file.url, row.width, row.height)


def whole_renditions(assets: Iterable[Asset]) -> dict[int, list[Rendition]]:
    """The renditions of the whole picture (crop "") of each of ``assets``, by asset id: one
    query."""
    found: dict[int, list[Rendition]] = defaultdict(list)
    ids = [asset.pk for asset in assets]
    if ids:
        for row in Rendition.objects.filter(asset_id__in=ids, crop="").order_by("width"):
            found[row.asset_id].append(row)
    return found


def _shown(rows: Iterable[Rendition]) -> list[Rendition]:
    """``rows`` a browser shows, narrow to wide, the better format first at each width."""
    return sorted(
        (row for row in rows if row.crop == "" and row.format in SHOWN_FORMATS),
        key=lambda row: (row.width, SHOWN_FORMATS.index(row.format)),
    )


def is_ready(asset: Asset, rows: Iterable[Rendition]) -> bool:
    """Whether every rendition of ``asset``'s whole picture is among ``rows``."""
    made = {(row.width, row.format) for row in rows if row.crop == ""}
    return wanted(asset, "") <= made


def thumbnail(asset: Asset, rows: Iterable[Rendition]) -> Thumbnail | None:
    """The smallest WebP (else JPEG) of ``asset``'s whole picture among ``rows``, once all its
    renditions are made; None while the job worker is still making them."""
    rows = list(rows)
    if not is_ready(asset, rows):
        return None
    shown = _shown(rows)
    return _image(shown[0]) if shown else None


def picker_image(rows: Iterable[Rendition]) -> Thumbnail | None:
    """The widest WebP (else JPEG) of the whole picture up to ``PICKER_WIDTH`` (the smallest
    if all are wider), to click the focal point on; None if none is made yet."""
    shown = _shown(rows)
    if not shown:
        return None
    fitting = [row for row in shown if row.width <= PICKER_WIDTH]
    if not fitting:
        return _image(shown[0])
    widest = fitting[-1].width
    return _image(next(row for row in fitting if row.width == widest))


def thumbnails(assets: Iterable[Asset]) -> dict[int, Thumbnail | None]:
    """Each asset's ``thumbnail``, by asset id: one query."""
    assets = list(assets)
    rows = whole_renditions(assets)
    return {asset.pk: thumbnail(asset, rows.get(asset.pk, [])) for asset in assets}


def role_label(role: str, step: int | None) -> str:
    """How a picture's role reads: "hero", "step 2", "illustration"."""
    if role == MediaRole.STEP and step:
        return f"step {step}"
    label = dict(MediaRole.choices).get(role, role or "no role")
    return label.partition(":")[0].lower()


def picture_name(number: int | str, role: str, step: int | None) -> str:
    """How a picture of a version is named on the pages: "Picture 2 (step 1)"."""
    return f"Picture {number} ({role_label(role, step)})"


@dataclass(frozen=True)
class ShownPicture:
    """A picture a version shows, as a page shows it."""

    number: int
    name: str  # "Picture 2 (step 1)"
    sha256: str
    role: str
    step: int | None
    alt: str
    decorative: bool
    title: str
    credit: str
    licence: str
    thumbnail: Thumbnail | None


UNKNOWN = "(a picture not in the library)"


def shown_pictures(media: Iterable[MediaSpec]) -> list[ShownPicture]:
    """``media`` with what the library says of each asset and its thumbnail: two queries,
    none when there is no picture."""
    media = list(media)
    if not media:
        return []
    assets = Asset.objects.in_bulk({m.asset for m in media}, field_name="sha256")
    thumbs = thumbnails(assets.values())
    shown = []
    for n, m in enumerate(media, 1):
        asset = assets.get(m.asset)
        shown.append(
            ShownPicture(
                number=n,
                name=picture_name(n, m.role, m.step),
                sha256=m.asset,
                role=m.role,
                step=m.step,
                alt="" if m.decorative else m.alt,
                decorative=m.decorative,
                title=asset.title if asset else UNKNOWN,
                credit=asset.credit if asset else "",
                licence=asset.licence if asset else "",
                thumbnail=thumbs.get(asset.pk) if asset else None,
            )
        )
    return shown


def asset_titles(media: Iterable[MediaSpec]) -> dict[str, str]:
    """The library's titles of the assets ``media`` shows, by SHA-256: one query, none when
    there is no picture."""
    shas = {m.asset for m in media}
    if not shas:
        return {}
    return dict(Asset.objects.filter(sha256__in=shas).values_list("sha256", "title"))


# --- What changed in the pictures between two versions ---


@dataclass(frozen=True)
class PictureChange:
    """One picture of the comparison: ``change`` is equal, changed, added or removed; a side
    without the picture is None; ``what`` names what changed ("alt text", "role")."""

    change: str
    old: ShownPicture | None
    new: ShownPicture | None
    what: tuple[str, ...] = ()


def _differences(old: ShownPicture, new: ShownPicture) -> tuple[str, ...]:
    what = []
    if old.sha256 != new.sha256:
        what.append("a different picture")
    if old.role != new.role:
        what.append("role")
    if old.step != new.step:
        what.append("step")
    if old.decorative != new.decorative:
        what.append("decorative")
    if old.alt != new.alt:
        what.append("alt text")
    return tuple(what)


def _pair(old: ShownPicture | None, new: ShownPicture | None) -> PictureChange:
    if old is None:
        return PictureChange("added", None, new)
    if new is None:
        return PictureChange("removed", old, None)
    what = _differences(old, new)
    return PictureChange("changed" if what else "equal", old, new, what)


def picture_changes(
    old: Iterable[ShownPicture], new: Iterable[ShownPicture]
) -> list[PictureChange]:
    """The pictures of two versions paired: the same asset in the same run is the same
    picture (a picture put in before it does not make the others "changed"); within a run of
    different assets, pictures pair by place. Empty when neither version has a picture."""
    old, new = list(old), list(new)
    matcher = difflib.SequenceMatcher(
        None, [p.sha256 for p in old], [p.sha256 for p in new], autojunk=False
    )
    changes: list[PictureChange] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        olds, news = old[i1:i2], new[j1:j2]
        if tag in ("equal", "replace"):
            paired = min(len(olds), len(news))
            changes += [_pair(a, b) for a, b in zip(olds[:paired], news[:paired], strict=True)]
            olds, news = olds[paired:], news[paired:]
        changes += [_pair(a, None) for a in olds]
        changes += [_pair(None, b) for b in news]
    return changes


def picture_lines(media: Iterable[MediaSpec], titles: Mapping[str, str]) -> list[str]:
    """A version's pictures as lines of ``diffing.content_lines``, one per picture."""
    lines = []
    for n, m in enumerate(media, 1):
        title = titles.get(m.asset) or UNKNOWN
        said = "decorative (no alt text)" if m.decorative else f"alt text: {m.alt or '(none)'}"
        lines.append(f"{picture_name(n, m.role, m.step)}: {title} \u00b7 {said}")
    return lines
