"""Reading the query parameters of docs/api.md: anything that cannot be honoured exactly is a 400.

Parsing only, no database: a goal or a profile comes out as the slugs it names, which
``queries`` looks up in the vocabularies. Problems are collected (``Problems``) rather than
raised one by one, so that a single 400 names every bad parameter of a request, listed in
the order the parameters are read (``READ_ORDER``) whichever step found them.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple, TypeVar

from django.http import QueryDict

from content.kinds import Kind
from content.models.vocabulary import slug_validator

from .problems import ParameterProblem
from .tokens import InvalidToken, SyncPosition, decode_cursor, decode_token

MAX_PROFILE = 50
MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 10
PAGE_SIZE_DEFAULT = 20
PAGE_SIZE_MAX = 100
#: The parameters in the order they are read: a 400 lists their problems in this order.
READ_ORDER = ("locale", "kind", "goal", "q", "page_size", "cursor", "token", "profile")
_SLUG = slug_validator.regex  # the vocabularies' own slug pattern
# Slugs are ASCII: only ASCII letters are lower-cased (str.lower() makes the Kelvin sign a "k").
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
# A whole number in ASCII digits (str.isdigit() also takes "²", which int() refuses), with at
# most three significant ones (int() refuses thousands of digits).
_PAGE_SIZE = re.compile(r"0*([0-9]{1,3})")
# What Django decodes bytes that are not UTF-8 to (U+FFFD), and lone surrogates.
_UNDECODED = re.compile(r"[\ufffd\ud800-\udfff]")
# Control characters (C0, DEL, C1): no value has one, and PostgreSQL refuses a NUL in text.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: What a text parameter may hold, as the OpenAPI document states it (ECMA-262 syntax).
TEXT_PATTERN = r"^[^\u0000-\u001f\u007f-\u009f\ufffd]*$"


@dataclass
class Problems:
    """What a request asks that cannot be honoured, collected so that one 400 names it all."""

    errors: list[dict] = field(default_factory=list)
    unknown_contraindications: list[str] = field(default_factory=list)

    def refuse(self, parameter: str, detail: str) -> None:
        self.errors.append({"parameter": parameter, "detail": detail})

    def refuse_locale(self, refusal: str | None) -> None:
        """Add the ``locale`` refusal negotiation found (``locales.Negotiated``), if any."""
        if refusal is not None:
            self.refuse("locale", refusal)

    def raise_any(self) -> None:
        """Raise the ``ParameterProblem`` naming every problem, if there is one."""
        if self.errors:
            errors = sorted(self.errors, key=lambda error: READ_ORDER.index(error["parameter"]))
            unknown = self.unknown_contraindications
            extra = {"unknown_contraindications": unknown} if unknown else {}
            raise ParameterProblem(errors, **extra)


class GoalParameter(NamedTuple):
    """The ``goal`` given: as sent (the 400 quotes it) and as the slug to look up (None if it
    cannot be a slug, so that no goal has it)."""

    given: str
    slug: str | None


class ProfileParameter(NamedTuple):
    """The contraindications a ``profile`` names, each once and in the order given: the slugs
    to look up, and those that cannot be slugs (unknown without looking)."""

    slugs: tuple[str, ...]
    malformed: tuple[str, ...]


@dataclass
class ListParams:
    """A list request's parameters as given, the goal and profile not yet looked up."""

    kind: str | None = None
    goal: GoalParameter | None = None
    words: tuple[str, ...] = ()
    profile: ProfileParameter | None = None
    page_size: int = PAGE_SIZE_DEFAULT
    cursor: dict | None = None
    plans: bool = False
    problems: Problems = field(default_factory=Problems)


@dataclass
class SyncQuery:
    position: SyncPosition
    page_size: int = PAGE_SIZE_DEFAULT


def _values(params: QueryDict, name: str, problems: Problems) -> list[str]:
    """Every value given for ``name``, or none (and ``name`` refused) if one of them is not
    text the API can read: every parameter is read through here."""
    values = params.getlist(name)
    if any(_UNDECODED.search(value) for value in values):
        problems.refuse(
            name, "not UTF-8 text (or holds U+FFFD); percent-encode the value's UTF-8 bytes."
        )
        return []
    if any(_CONTROL.search(value) for value in values):
        problems.refuse(
            name, "control characters (such as NUL, tab or line breaks) are not allowed."
        )
        return []
    return values


def _slug(text: str) -> str:
    """``text`` as a slug to look up: trimmed, ASCII letters lower-cased, nothing else changed."""
    return text.strip().translate(_ASCII_LOWER)


def _single(params: QueryDict, name: str, problems: Problems) -> str | None:
    values = _values(params, name, problems)
    if not values:
        return None
    if len(values) > 1:
        problems.refuse(name, f"give '{name}' once; it was given {len(values)} times.")
        return None
    return values[0]


def _read_page_size(params: QueryDict, problems: Problems) -> int:
    page_size = _single(params, "page_size", problems)
    if page_size is None:
        return PAGE_SIZE_DEFAULT
    number = _PAGE_SIZE.fullmatch(page_size)
    if number and 1 <= int(number[1]) <= PAGE_SIZE_MAX:
        return int(number[1])
    problems.refuse("page_size", f"a whole number from 1 to {PAGE_SIZE_MAX}.")
    return PAGE_SIZE_DEFAULT


_Decoded = TypeVar("_Decoded")


def _decoded(
    params: QueryDict, name: str, decode: Callable[[str], _Decoded], problems: Problems
) -> _Decoded | None:
    """The signed value given for ``name``, decoded, if any; refused if it does not decode."""
    value = _single(params, name, problems)
    if value is None:
        return None
    try:
        return decode(value)
    except InvalidToken as error:
        problems.refuse(name, str(error))
        return None


def read_sync_query(params: QueryDict, locale_refusal: str | None) -> SyncQuery:
    """Parse a sync request's ``token`` and ``page_size``, raising ``ParameterProblem``."""
    problems = Problems()
    problems.refuse_locale(locale_refusal)
    page_size = _read_page_size(params, problems)
    position = _decoded(params, "token", decode_token, problems) or SyncPosition()
    problems.raise_any()
    return SyncQuery(position=position, page_size=page_size)


def profile_slugs(values: list[str]) -> list[str]:
    """Every slug the profile's ``values`` name, lower-cased and trimmed, in order and with
    repeats (the limit counts what was sent)."""
    return [slug for value in values for slug in map(_slug, value.split(",")) if slug]


def read_profile(params: QueryDict, problems: Problems) -> ProfileParameter | None:
    """The ``profile`` given, if any and within the limit."""
    values = _values(params, "profile", problems)
    if not values:
        return None
    slugs = profile_slugs(values)
    given = max(len(slugs), len(values))
    if given > MAX_PROFILE:
        problems.refuse("profile", f"at most {MAX_PROFILE} contraindications; {given} were given.")
        return None
    slugs = list(dict.fromkeys(slugs))
    return ProfileParameter(
        slugs=tuple(s for s in slugs if _SLUG.match(s)),
        malformed=tuple(s for s in slugs if not _SLUG.match(s)),
    )


def read_list_params(
    params: QueryDict, *, plans: bool = False, locale_refusal: str | None = None
) -> ListParams:
    """Parse a list request's parameters, collecting in ``problems`` every one that is bad.

    Plans take no ``kind`` (it is ignored there, like any parameter an endpoint does not take).
    """
    query = ListParams(plans=plans)
    problems = query.problems
    problems.refuse_locale(locale_refusal)
    kind = None if plans else _single(params, "kind", problems)
    if kind is not None:
        if kind in Kind.values:
            query.kind = kind
        else:
            problems.refuse("kind", f"unknown kind '{kind}'; use one of {', '.join(Kind.values)}.")
    goal = _single(params, "goal", problems)
    if goal is not None:
        slug = _slug(goal)
        query.goal = GoalParameter(given=goal, slug=slug if _SLUG.match(slug) else None)
    q = _single(params, "q", problems)
    if q is not None:
        words = tuple(q.split())
        if len(q) > MAX_QUERY_LENGTH:
            problems.refuse("q", f"at most {MAX_QUERY_LENGTH} characters.")
        elif len(words) > MAX_QUERY_WORDS:
            problems.refuse("q", f"at most {MAX_QUERY_WORDS} words.")
        else:
            query.words = words
    query.page_size = _read_page_size(params, problems)
    query.cursor = _decoded(params, "cursor", decode_cursor, problems)
    query.profile = read_profile(params, problems)
    return query
