"""The demo content pack: data files an editor can read (``demo/`` at the top of the
checkout), loaded through the workflow like any other content.

Every item is created by the demo editor, approved by as many demo reviewers as its kind's
review policy asks (never its author), published, and, where the pack says so, revised or
withdrawn: so the loaded content has versions, approvals and audit entries like real content,
and every rule of the domain layer applies to it.

Translations are written by the demo translator and published by a reviewer, each right
after the version it translates. The pictures the pack shows are drawn by the project
itself and uploaded by the demo editor.

- ``files``: the pack's YAML files read, their fields checked, ``PackError``.
- ``items``: reading and checking one component's or plan's file (``PackItem``).
- ``pictures``: the pack's pictures, drawn with Pillow, the same bytes every time.
- ``pack``: reading and checking the whole pack (``read_pack``, ``Pack``).
- ``translations``: reading the locales and translations, each checked against its source.
- ``accounts``: the demo accounts and the ``Team`` that writes and reviews the pack.
- ``reviewing``: a version taken through review to published by the team.
- ``loading``: loading a pack through the workflow (``load_pack``) and its ``Report``.
- ``uploading``: the pictures new items show, uploaded once, with their renditions.
- ``translating``: loading the locales and translations through the workflow.
"""

from .accounts import DemoAccount, Team, ensure_demo_accounts
from .files import PackError
from .items import PackItem
from .loading import Report, load_pack
from .pack import PACK_DIR, Pack, read_pack

__all__ = [
    "PACK_DIR",
    "DemoAccount",
    "Pack",
    "PackError",
    "PackItem",
    "Report",
    "Team",
    "ensure_demo_accounts",
    "load_pack",
    "read_pack",
]
