"""Saving what a person typed into a draft: the form checked, the domain function run, and
its refusal said, with what was typed kept in the form (the page shows the bound form)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from django.contrib import messages
from django.http import HttpRequest

from content.errors import ContentInvalid, DomainError
from content.models import Version


class TypedForm(Protocol):
    def is_valid(self) -> bool: ...


def show_refusal(forms: object, exc: ContentInvalid) -> None:
    """Show the domain's problems at the parts of ``forms`` they concern, if it has parts
    (``ContentForms.show_refusal``)."""
    shown = getattr(forms, "show_refusal", None)
    if shown is not None:
        shown(exc.errors)


def save_typed(
    request: HttpRequest, forms: TypedForm, write: Callable[[], Version]
) -> tuple[Version | None, list[str] | None]:
    """Run ``write`` (a domain function saving what was typed) if ``forms`` are valid.
    Return the version it wrote, or None, having said why, with the domain's problems to
    list (the form keeps what was typed, and shows each part's problems at its rows)."""
    if not forms.is_valid():
        messages.error(request, "Please correct the errors below; nothing was saved.")
        return None, None
    try:
        return write(), None
    except ContentInvalid as exc:
        messages.error(request, f"Nothing was saved. {exc}")
        show_refusal(forms, exc)
        return None, [m for found in exc.errors.values() for m in found]
    except DomainError as exc:
        messages.error(request, str(exc))
        return None, None


def refusal_on_form(form, exc: ContentInvalid) -> None:
    """Show the domain's refusal on the form, beside what was typed: its message on the first
    field it names (on the form if it names none), the other fields' problems on theirs."""
    named = [name for name in exc.errors if name in form.fields]
    if not named:
        form.add_error(None, str(exc))
        return
    form.add_error(named[0], str(exc))
    for name in named[1:]:
        for problem in exc.errors[name]:
            form.add_error(name, problem)
