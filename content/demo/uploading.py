"""Putting the pack's pictures in the library: each drawn (``pictures``), uploaded once
through the workflow, its renditions made.

The demo editor uploads a picture with ``upload_asset`` (cleaned and checked like any
upload) unless the library already has those bytes, from an earlier load or an editor's own
upload: that asset is then used as it is. Versions name a picture by the SHA-256 of its
bytes, which ``pictures`` draws the same every time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from content.media.renditions import crops, make_renditions
from content.models import Asset
from content.workflow.media import AssetFacts, upload_asset

from .accounts import Team
from .pictures import CREDIT, LICENCE, PICTURES, draw
from .reviewing import refusal_names


def library_pictures(names: Iterable[str], team: Team) -> dict[str, tuple[str, bool]]:
    """Each picture of ``names`` in the library with all its renditions: its SHA-256, and
    whether it was uploaded now (else the library had it already)."""
    found: dict[str, tuple[str, bool]] = {}
    for name in dict.fromkeys(names):
        data = draw(name)
        sha256 = hashlib.sha256(data).hexdigest()
        asset = Asset.objects.filter(sha256=sha256).first()
        uploaded = asset is None
        if uploaded:
            with refusal_names(f"content/demo/pictures.py, {name}"):
                asset = upload_asset(
                    user=team.editor,
                    data=data,
                    original_name=f"{name}.png",
                    facts=AssetFacts(title=PICTURES[name].title, credit=CREDIT, licence=LICENCE),
                )
        # A version is published only once its pictures' renditions exist, and the job
        # queue makes them after the load commits. load_demo is a management command, not
        # a request that must not wait: it makes them here, in-process (the jobs the upload
        # enqueued then find nothing left to do).
        for crop in crops(asset):
            make_renditions.call(asset.pk, crop)
        found[name] = (sha256, uploaded)
    return found
