"""Writing the audit log: one entry per workflow action, never changed afterwards."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from content.models import AuditEntry, Version


def record(
    *,
    version: Version,
    action: str,
    actor: AbstractBaseUser | None,
    from_state: str,
    comment: str = "",
) -> AuditEntry:
    """Append an entry saying that ``actor`` did ``action`` to ``version`` (now in its state)."""
    return AuditEntry.objects.create(
        at=timezone.now(),
        actor=actor,
        action=action,
        item_id=version.item_id,
        version=version,
        version_number=version.number,
        content_hash=version.content_hash,
        comment=comment,
        from_state=from_state,
        to_state=version.state,
    )
