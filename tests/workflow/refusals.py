"""The refusal tables' harness: a refusal case, the people it is played with, and the check
every case must pass (refused with its message, and nothing written)."""

from collections.abc import Callable
from typing import NamedTuple

import pytest

from content.errors import ContentInvalid, DomainError
from content.models import Approval, AuditEntry, ContentItem, Version
from tests import builders


class Refusal(NamedTuple):
    """In the situation ``given`` sets up (from the people), ``call`` must be refused with
    ``refused``, saying ``message``: the whole message, or, where it starts with "…", a part
    of it; {v} in it is what ``given`` returned, {p} the people. ``errors``: what
    ContentInvalid.errors holds, field by field."""

    given: Callable
    call: Callable  # (what given returned, people) -> the call
    refused: type[DomainError]
    message: str | None = None
    errors: dict[str, list[str]] | None = None


def nothing(p):
    return None


def invalid(*, given=nothing, message=None, errors=None, **content) -> Refusal:
    """Drafting a component with ``content`` is refused as invalid."""

    def call(_, p):
        return builders.draft(p.editor, **content)

    return Refusal(given, call, ContentInvalid, message, errors)


def everything_written():
    """Every item and version as stored, every approval and every audit entry."""
    return (
        list(ContentItem.objects.order_by("pk").values()),
        list(Version.objects.order_by("pk").values()),
        list(Approval.objects.order_by("pk").values_list("pk", flat=True)),
        list(AuditEntry.objects.order_by("pk").values_list("pk", flat=True)),
    )


def assert_refused(case: Refusal, people) -> None:
    """Play ``case``: what it sets up, then the call it must refuse, writing nothing."""
    that = case.given(people)
    before = everything_written()
    with pytest.raises(case.refused) as caught:
        case.call(that, people)
    if case.message is not None:
        expected = case.message.format(v=that, p=people)
        if expected.startswith("…"):
            assert expected.strip("…") in str(caught.value)
        else:
            assert str(caught.value) == expected
    for field, errors in (case.errors or {}).items():
        assert caught.value.errors[field] == errors
    assert everything_written() == before
