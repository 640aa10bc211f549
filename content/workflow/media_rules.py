"""The rules for the pictures a version shows (``MediaSpec``): known assets, roles, step
numbers, and alt text that describes the picture.

Alt text is what a screen reader says instead of the picture: it is required unless the
picture is marked decorative (then it has none), and it must say more than the title or
the file's name (wagtail/wagtail#6034).
"""

from __future__ import annotations

from content.models import Asset, MediaRole

from .snapshot import PlanContent, VersionContent

#: The most pictures one version shows, and the longest alt text.
MAX_MEDIA = 30
MAX_ALT_CHARS = 300


def media_problems(content: VersionContent | PlanContent) -> list[str]:
    """Every problem with ``content``'s pictures, as messages naming the picture."""
    media = content.media
    problems: list[str] = []
    if len(media) > MAX_MEDIA:
        problems.append(f"media: at most {MAX_MEDIA} pictures; there are {len(media)}.")
    assets = Asset.objects.in_bulk({m.asset for m in media}, field_name="sha256")
    heroes = 0
    for n, picture in enumerate(media, start=1):
        where = f"media[{n}]"
        asset = assets.get(picture.asset)
        if asset is None:
            problems.append(f"{where}: no uploaded picture has this SHA-256; upload it first.")
        if picture.role not in MediaRole.values:
            problems.append(
                f"{where}.role: {picture.role!r} is not allowed; choose one of "
                f"{', '.join(MediaRole.values)}."
            )
        heroes += picture.role == MediaRole.HERO
        if picture.role == MediaRole.STEP:
            if not isinstance(picture.step, int) or picture.step < 1:
                problems.append(
                    f"{where}.step: a step picture needs its step's number (1 or more)."
                )
        elif picture.step is not None:
            problems.append(f"{where}.step: only a step picture has a step number.")
        problems.extend(_alt_problems(where, picture, content.title, asset))
    if heroes > 1:
        problems.append("media: one hero picture at most.")
    return problems


def _alt_problems(where: str, picture, title: str, asset: Asset | None) -> list[str]:
    alt = picture.alt.strip()
    if picture.decorative:
        if alt:
            return [
                f"{where}.alt: a decorative picture has no alt text (screen readers skip it); "
                "remove the text, or untick decorative if the picture tells something."
            ]
        return []
    if not alt:
        return [
            f"{where}.alt: describe what the picture shows for people who cannot see it, "
            "or mark it decorative."
        ]
    problems = []
    if len(alt) > MAX_ALT_CHARS:
        problems.append(f"{where}.alt: at most {MAX_ALT_CHARS} characters; it has {len(alt)}.")
    names = {title.strip().casefold()}
    if asset is not None:
        names |= {asset.title.strip().casefold(), asset.original_name.strip().casefold()}
        names.add(asset.original_name.rpartition(".")[0].strip().casefold())
    if alt.casefold() in names - {""}:
        problems.append(
            f"{where}.alt: '{alt}' is only a name; say what the picture shows "
            "(e.g. 'A woman seated cross-legged, breathing in through the left nostril')."
        )
    return problems
