"""The demo content pack: data files an editor can read (``demo/`` at the top of the
checkout), loaded through the workflow like any other content.

Every item is created by the demo editor, approved by as many demo reviewers as its kind's
review policy asks (never its author), published, and, where the pack says so, revised or
withdrawn: so the loaded content has versions, approvals and audit entries like real content,
and every rule of the domain layer applies to it.

- ``pack``: reading and checking the pack's files (``read_pack``, ``Pack``, ``PackError``).
- ``accounts``: the demo accounts and the ``Team`` that writes and reviews the pack.
- ``loading``: loading a pack through the workflow (``load_pack``) and its ``Report``.
"""

from .accounts import DemoAccount, Team, ensure_demo_accounts
from .loading import Report, load_pack
from .pack import PACK_DIR, Pack, PackError, PackItem, read_pack

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
