"""The locale a request is answered in: ``?locale=`` if given (an unknown or malformed one is
refused), else the best match of ``Accept-Language`` (RFC 9110 q-values, RFC 4647 lookup),
else the default locale.

The locales are read once per worker and delivery generation (a change to the locales
table bumps it, in the database), so negotiating costs no query while nothing changes.
"""

from __future__ import annotations

from typing import NamedTuple

from django.http import HttpRequest

from content.models import canonical_locale

from . import freshness
from .freshness import FreshnessUnknown, generations
from .localising import LocaleTable, locale_table

#: The most language ranges of an ``Accept-Language`` header looked at; the rest are ignored.
MAX_RANGES = 20


class Negotiated(NamedTuple):
    """The locale a request is answered in, whether ``Accept-Language`` chose it (the
    answer then varies with that header), and, if ``?locale=`` cannot be honoured, why."""

    code: str
    by_header: bool
    refusal: str | None = None


def known_locales(request: HttpRequest) -> LocaleTable:
    """The locales, as of this request's delivery generation."""
    found = generations(request)
    key = ("locales", found.epoch, found.content)
    table = freshness.answers.get(key)
    if table is None:
        table = locale_table()
        if table.default not in table.chains:  # no locale at all: a restore under way
            raise FreshnessUnknown("the locales cannot be read now")
        freshness.confirm_unchanged(request)  # read in the epoch it is kept under
        freshness.answers.put(key, table, size=200 * len(table.chains))
    return table


def _ranges(header: str) -> list[str]:
    """The language ranges of an ``Accept-Language`` header, best first (q-values; equal ones
    in the order given); ranges with q=0 and malformed ones are left out."""
    weighted = []
    for position, part in enumerate(header.split(",")[:MAX_RANGES]):
        tag, _, parameters = part.strip().partition(";")
        tag = tag.strip()
        quality = 1.0
        for parameter in parameters.split(";"):
            name, _, value = parameter.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value.strip())
                except ValueError:
                    quality = -1.0
        if tag and 0 < quality <= 1:
            weighted.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(weighted)]


def from_header(header: str, table: LocaleTable) -> str:
    """The known locale best matching ``header``: for each range in order of preference, the
    range itself or, shortened subtag by subtag, the first known (``es-MX`` -> ``es``);
    ``*`` or nothing known: the default."""
    for language_range in _ranges(header):
        if language_range == "*":
            return table.default
        parts = language_range.split("-")
        while parts:
            code = canonical_locale("-".join(parts))
            if code in table.chains:
                return code
            parts.pop()
    return table.default


def negotiate(request: HttpRequest) -> Negotiated:
    """The locale ``request`` is answered in (see the module's docstring)."""
    table = known_locales(request)
    given = request.GET.getlist("locale")
    if given:
        if len(given) > 1:
            return Negotiated(
                table.default, False, f"give 'locale' once; it was given {len(given)} times."
            )
        value = given[0]
        code = canonical_locale(value.strip())
        if code is None:
            return Negotiated(
                table.default,
                False,
                f"'{value[:40]}' is not a language tag (BCP 47, such as 'es' or 'pt-BR').",
            )
        if code not in table.chains:
            known = ", ".join(sorted(table.chains))
            return Negotiated(table.default, False, f"unknown locale '{code}'; use one of {known}.")
        return Negotiated(code, False)
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    return Negotiated(from_header(header, table), True)
