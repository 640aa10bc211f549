"""Taking a version of the pack through review to published with the demo team, and naming
the file of whatever the domain layer refuses."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth.models import AbstractBaseUser

from content.errors import ContentInvalid, DomainError
from content.models import Version
from content.workflow import approve, publish, submit_for_review
from content.workflow.approvals import approval_progress

from .accounts import Team
from .files import PackError

REVIEW_COMMENT = "Demo pack: checked against the sources cited."


def review_and_publish(
    version: Version, *, author: AbstractBaseUser, team: Team, where: str
) -> Version:
    """Submit ``version`` as its ``author``, approve it with one reviewer after another
    until its review is complete, and publish it (the workflow refuses if the approvals do
    not count, or if a reviewer wrote it)."""
    needed = approval_progress(version).required
    if needed > len(team.reviewers):
        raise PackError(
            f"{where}: a {version.item.kind} needs {needed} approvals and the pack has "
            f"{len(team.reviewers)} reviewers."
        )
    version = submit_for_review(version=version, user=author)
    for reviewer in team.reviewers:
        if approval_progress(version).complete:
            break
        version = approve(
            version=version, user=reviewer, seen_hash=version.content_hash, comment=REVIEW_COMMENT
        )
    return publish(version=version, user=team.reviewers[0])


@contextmanager
def refusal_names(where: str) -> Iterator[None]:
    """Report a refusal of the domain layer with ``where`` it came from (file, version)."""
    try:
        yield
    except DomainError as exc:
        problems = str(exc)
        if isinstance(exc, ContentInvalid) and exc.errors:
            problems = "; ".join(m for messages in exc.errors.values() for m in messages)
        raise PackError(f"{where}: {problems}") from None
