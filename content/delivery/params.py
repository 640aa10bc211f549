"""Reading the query parameters of API.md: anything that cannot be honoured exactly is a 400."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field

from django.core import signing
from django.http import QueryDict

from content.kinds import Kind
from content.models import Contraindication, ContraindicationAlias, Goal
from content.models.vocabulary import slug_validator

from .problems import ParameterProblem

MAX_PROFILE = 50
MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 10
PAGE_SIZE_DEFAULT = 20
PAGE_SIZE_MAX = 100
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
_CURSOR_SALT = "content.delivery.cursor"
_TOKEN_SALT = "content.delivery.sync-token"


@dataclass(frozen=True)
class Profile:
    """The end user's contraindications, resolved to vocabulary ids (aliases followed)."""

    ids: frozenset[int]
    slugs: tuple[str, ...]


@dataclass
class ListQuery:
    kind: str | None = None
    goal_id: int | None = None
    words: tuple[str, ...] = ()
    profile: Profile | None = None
    page_size: int = PAGE_SIZE_DEFAULT
    cursor: dict | None = None
    plans: bool = False
    errors: list[dict] = field(default_factory=list)
    unknown_contraindications: list[str] = field(default_factory=list)

    def refuse(self, parameter: str, detail: str) -> None:
        self.errors.append({"parameter": parameter, "detail": detail})


def _values(params: QueryDict, name: str, query: ListQuery) -> list[str]:
    """Every value given for ``name``, or none (and ``name`` refused) if one of them is not
    text the API can read: every parameter is read through here."""
    values = params.getlist(name)
    if any(_UNDECODED.search(value) for value in values):
        query.refuse(
            name, "not UTF-8 text (or holds U+FFFD); percent-encode the value's UTF-8 bytes."
        )
        return []
    if any(_CONTROL.search(value) for value in values):
        query.refuse(name, "control characters (such as NUL, tab or line breaks) are not allowed.")
        return []
    return values


def _slug(text: str) -> str:
    """``text`` as a slug to look up: trimmed, ASCII letters lower-cased, nothing else changed."""
    return text.strip().translate(_ASCII_LOWER)


def _single(params: QueryDict, name: str, query: ListQuery) -> str | None:
    values = _values(params, name, query)
    if not values:
        return None
    if len(values) > 1:
        query.refuse(name, f"give '{name}' once; it was given {len(values)} times.")
        return None
    return values[0]


def _signer(salt: str) -> signing.Signer:
    # Built per use, not at import: it takes SECRET_KEY and SECRET_KEY_FALLBACKS as they are.
    return signing.Signer(salt=salt)


def encode_cursor(position: dict) -> str:
    """A signed, opaque cursor. Not timestamped: the same page always links the same way, so
    its answer (and ETag) stays the same while the content does."""
    return _signer(_CURSOR_SALT).sign_object(position, compress=True)


def _decode_cursor(value: str, query: ListQuery) -> dict | None:
    try:
        position = _signer(_CURSOR_SALT).unsign_object(value)
    except signing.BadSignature:
        query.refuse(
            "cursor", "this cursor was not issued by this server; use 'next' or 'previous'."
        )
        return None
    if not (isinstance(position, dict) and set(position) <= {"after", "before"} and position):
        query.refuse("cursor", "this cursor is not valid here.")
        return None
    return position


@dataclass(frozen=True)
class SyncPosition:
    """Where a client is in its sync. It has every change up to generation ``since`` (None:
    nothing yet) of the run of generations ``epoch``; the round it is in covers the changes
    up to ``upto`` (None: not started), of which it has had the items up to the slug
    ``after``. A token of another epoch (before a restore) cannot be continued."""

    since: int | None = None
    upto: int | None = None
    after: str = ""
    epoch: str | None = None


@dataclass
class SyncQuery:
    position: SyncPosition
    page_size: int = PAGE_SIZE_DEFAULT


def encode_token(position: SyncPosition) -> str:
    """A signed, opaque sync token: it holds the whole position, so the server keeps none."""
    fields = {"e": position.epoch, "s": position.since, "u": position.upto, "a": position.after}
    return _signer(_TOKEN_SALT).sign_object(
        {name: value for name, value in fields.items() if value not in (None, "")}, compress=True
    )


def _is_generation(value) -> bool:
    return type(value) is int and value >= 0


def _decode_token(value: str, query: ListQuery) -> SyncPosition | None:
    try:
        fields = _signer(_TOKEN_SALT).unsign_object(value)
    except (signing.BadSignature, ValueError):  # ValueError: a signed value that is not JSON
        query.refuse(
            "token",
            "this token was not issued by this server; start again without a token, or send "
            "the last 'next_token' you received.",
        )
        return None
    well_formed = isinstance(fields, dict) and set(fields) <= {"e", "s", "u", "a"}
    since, upto, after, epoch = (
        (fields.get("s"), fields.get("u"), fields.get("a", ""), fields.get("e"))
        if well_formed
        else (0, 0, "", None)
    )
    well_formed = (
        well_formed
        and (epoch is None or isinstance(epoch, str))  # tokens of before epochs have none
        and (since is None or _is_generation(since))
        and (upto is None or _is_generation(upto))
        and isinstance(after, str)
        and (since is not None or upto is not None)  # an initial sync has no token
        and (upto is not None or not after)  # a position within a round has its end
        and (since is None or upto is None or since <= upto)
    )
    if not well_formed:
        query.refuse("token", "this token is not valid here.")
        return None
    return SyncPosition(since=since, upto=upto, after=after, epoch=epoch)


def _read_page_size(params: QueryDict, query: ListQuery) -> int:
    page_size = _single(params, "page_size", query)
    if page_size is None:
        return PAGE_SIZE_DEFAULT
    number = _PAGE_SIZE.fullmatch(page_size)
    if number and 1 <= int(number[1]) <= PAGE_SIZE_MAX:
        return int(number[1])
    query.refuse("page_size", f"a whole number from 1 to {PAGE_SIZE_MAX}.")
    return PAGE_SIZE_DEFAULT


def read_sync_query(params: QueryDict) -> SyncQuery:
    """Parse a sync request's ``token`` and ``page_size``, raising ``ParameterProblem``."""
    checked = ListQuery()
    query = SyncQuery(position=SyncPosition(), page_size=_read_page_size(params, checked))
    token = _single(params, "token", checked)
    if token is not None:
        query.position = _decode_token(token, checked)
    _raise_errors(checked)
    return query


def profile_slugs(values: list[str]) -> list[str]:
    """Every slug the profile's ``values`` name, lower-cased and trimmed, in order and with
    repeats (the limit counts what was sent)."""
    return [slug for value in values for slug in map(_slug, value.split(",")) if slug]


def resolve_profile(slugs: list[str]) -> tuple[Profile | None, list[str]]:
    """Resolve ``slugs`` against the vocabulary; return the profile and the unknown slugs."""
    if not slugs:
        return Profile(ids=frozenset(), slugs=()), []
    rows = (
        Contraindication.objects.filter(slug__in=slugs)
        .order_by()
        .values_list("slug", "id")
        .union(
            ContraindicationAlias.objects.filter(slug__in=slugs)
            .order_by()
            .values_list("slug", "contraindication_id")
        )
    )
    known = dict(rows)
    unknown = [s for s in slugs if s not in known]
    return Profile(ids=frozenset(known.values()), slugs=tuple(slugs)), unknown


def read_profile(params: QueryDict, query: ListQuery) -> Profile | None:
    values = _values(params, "profile", query)
    if not values:
        return None
    slugs = profile_slugs(values)
    given = max(len(slugs), len(values))
    if given > MAX_PROFILE:
        query.refuse("profile", f"at most {MAX_PROFILE} contraindications; {given} were given.")
        return None
    slugs = list(dict.fromkeys(slugs))
    malformed = [s for s in slugs if not _SLUG.match(s)]
    candidates = [s for s in slugs if _SLUG.match(s)]
    profile, unknown = resolve_profile(candidates)
    unknown = malformed + unknown
    if unknown:
        for slug in unknown:
            query.refuse(
                "profile",
                f"unknown contraindication '{slug}'; known ones are listed at "
                "/api/v1/contraindications/.",
            )
        query.unknown_contraindications = unknown
        return None
    return profile


def read_list_query(params: QueryDict, *, plans: bool = False) -> ListQuery:
    """Parse a list request's parameters, raising ``ParameterProblem`` naming every bad one.

    Plans take no ``kind`` (it is ignored there, like any parameter an endpoint does not take).
    """
    query = ListQuery(plans=plans)
    kind = None if plans else _single(params, "kind", query)
    if kind is not None:
        if kind in Kind.values:
            query.kind = kind
        else:
            query.refuse("kind", f"unknown kind '{kind}'; use one of {', '.join(Kind.values)}.")
    goal = _single(params, "goal", query)
    if goal is not None:
        slug = _slug(goal)
        found = Goal.objects.filter(slug=slug).values_list("id", flat=True)
        query.goal_id = found.first() if _SLUG.match(slug) else None
        if query.goal_id is None:
            query.refuse("goal", f"unknown goal '{goal}'; known ones are listed at /api/v1/goals/.")
    q = _single(params, "q", query)
    if q is not None:
        words = tuple(q.split())
        if len(q) > MAX_QUERY_LENGTH:
            query.refuse("q", f"at most {MAX_QUERY_LENGTH} characters.")
        elif len(words) > MAX_QUERY_WORDS:
            query.refuse("q", f"at most {MAX_QUERY_WORDS} words.")
        else:
            query.words = words
    query.page_size = _read_page_size(params, query)
    cursor = _single(params, "cursor", query)
    if cursor is not None:
        query.cursor = _decode_cursor(cursor, query)
    query.profile = read_profile(params, query)
    _raise_errors(query)
    return query


def read_detail_profile(params: QueryDict) -> Profile | None:
    """Parse a detail request's ``profile``, the only parameter a detail takes."""
    query = ListQuery()
    profile = read_profile(params, query)
    _raise_errors(query)
    return profile


def _raise_errors(query: ListQuery) -> None:
    if query.errors:
        unknown = query.unknown_contraindications
        extra = {"unknown_contraindications": unknown} if unknown else {}
        raise ParameterProblem(query.errors, **extra)
