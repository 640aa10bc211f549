"""What the picture screens' tests share: the pages' addresses, a logged-in client, a picture
uploaded through the workflow (renditions made here, as the job worker would), and the draft
form as a browser posts it, with its picture rows."""

from __future__ import annotations

import json
import re
from html import unescape

from django.test import Client
from django.urls import reverse

from content import workflow
from content.kinds import PLAN
from content.media.renditions import crops, make_renditions
from content.models import Asset, Version
from content.workflow.media import AssetFacts, upload_asset
from content.workflow.snapshot import MediaSpec
from tests.media.images import picture

LIBRARY = "/admin/content/asset/"
UPLOAD = "/admin/content/asset/add/"
_colours = iter(range(10, 250))


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def asset_url(asset: Asset) -> str:
    return reverse("admin:content_asset_change", args=[asset.pk])


def item_url(version: Version, name: str = "change") -> str:
    screen = "plan" if version.item.kind == PLAN else "component"
    return reverse(f"admin:content_{screen}_{name}", args=[version.item_id])


def text(response) -> str:
    return unescape(response.content.decode())


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def uploaded(user, *, title: str, rendered: bool = True, **facts) -> Asset:
    """A distinct picture uploaded by ``user``; its renditions made unless ``rendered`` is
    False (the job worker has not run yet)."""
    colour = next(_colours)
    asset = upload_asset(
        user=user,
        data=picture((1200, 800), colour=(colour, 90, 160)),
        original_name=f"{title.lower().replace(' ', '-')}.jpg",
        facts=AssetFacts(
            title=title, credit="Recovery content project", licence="CC0 1.0", **facts
        ),
    )
    if rendered:
        for crop in crops(asset):
            make_renditions.call(asset.pk, crop)
    return asset


def picture_row(asset: Asset, **row) -> MediaSpec:
    return MediaSpec(asset=asset.sha256, **{"role": "hero", "alt": "", **row})


def draft_form(version: Version, *, media=None, **changes) -> dict[str, str]:
    """What the draft form of ``version`` posts, unchanged but for ``changes``, with ``media``
    (MediaSpecs, numbered in order) as its picture rows, or the draft's own pictures."""
    content = workflow.read_content(version)
    data = {
        "title": content.title,
        "summary": content.summary,
        "body": content.body,
        "change_note": content.change_note,
        "edit_count": str(version.edit_count),
        "save": "Save draft",
    }
    if version.item.kind == PLAN:
        data["duration_weeks"] = str(content.duration_weeks)
        parts = [("items", content.items)]
    else:
        data["evidence_level"] = content.evidence_level
        data["details"] = json.dumps(content.details)
        parts = [
            ("links", content.contraindications),
            ("interactions", content.interactions),
            ("citations", content.citations),
        ]
    for prefix, rows in parts:
        data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = str(len(rows))
        for n, row in enumerate(rows):
            for key, value in row.__dict__.items():
                data[f"{prefix}-{n}-{key}"] = value
    saved = len(content.media)
    media = content.media if media is None else media
    data["media-TOTAL_FORMS"] = str(max(len(media), saved))
    data["media-INITIAL_FORMS"] = str(saved)
    for n, spec in enumerate(media):
        data |= {
            f"media-{n}-order": str(n + 1),
            f"media-{n}-asset": spec.asset,
            f"media-{n}-role": spec.role,
            f"media-{n}-step": "" if spec.step is None else str(spec.step),
            f"media-{n}-alt": spec.alt,
        }
        if spec.decorative:
            data[f"media-{n}-decorative"] = "on"
    data.update(changes)
    return data


def section(page: str, element_id: str) -> str:
    """The HTML of the element with ``element_id`` up to the next element of the page's
    main parts (enough to tell where a message is shown)."""
    start = page.index(f'id="{element_id}"')
    end = re.search(r'id="(?:[a-z]+-group|problems|preview-panel)"', page[start + 10 :])
    return page[start : start + 10 + end.start()] if end else page[start:]
