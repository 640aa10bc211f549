"""The signed, opaque values the API hands out and reads back: page cursors and sync tokens
(``SyncPosition``). The server keeps nothing per client: the value holds the whole position,
signed with SECRET_KEY so that no client can make one up."""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

# The salts are part of every value issued: changing one invalidates them all.
_CURSOR_SALT = "content.delivery.cursor"
_TOKEN_SALT = "content.delivery.sync-token"


class InvalidToken(Exception):
    """A cursor or token this server did not issue, or not for this use; the message says
    what the client can do."""


def _signer(salt: str) -> signing.Signer:
    # Built per use, not at import: it takes SECRET_KEY and SECRET_KEY_FALLBACKS as they are.
    return signing.Signer(salt=salt)


def encode_cursor(position: dict) -> str:
    """A signed, opaque cursor. Not timestamped: the same page always links the same way, so
    its answer (and ETag) stays the same while the content does."""
    return _signer(_CURSOR_SALT).sign_object(position, compress=True)


def decode_cursor(value: str) -> dict:
    """The position ``value`` holds ({"after": slug} or {"before": slug}); raises
    ``InvalidToken``."""
    try:
        position = _signer(_CURSOR_SALT).unsign_object(value)
    except signing.BadSignature:
        raise InvalidToken(
            "this cursor was not issued by this server; use 'next' or 'previous'."
        ) from None
    if not (isinstance(position, dict) and set(position) <= {"after", "before"} and position):
        raise InvalidToken("this cursor is not valid here.")
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
    #: The locale the sync is in (None: a token of before locales, the default's).
    locale: str | None = None


def encode_token(position: SyncPosition) -> str:
    """A signed, opaque sync token: it holds the whole position, so the server keeps none."""
    fields = {
        "e": position.epoch,
        "s": position.since,
        "u": position.upto,
        "a": position.after,
        "l": position.locale,
    }
    return _signer(_TOKEN_SALT).sign_object(
        {name: value for name, value in fields.items() if value not in (None, "")}, compress=True
    )


def _is_generation(value) -> bool:
    return type(value) is int and value >= 0


def decode_token(value: str) -> SyncPosition:
    """The position a sync token holds; raises ``InvalidToken``."""
    try:
        fields = _signer(_TOKEN_SALT).unsign_object(value)
    except (signing.BadSignature, ValueError):  # ValueError: a signed value that is not JSON
        raise InvalidToken(
            "this token was not issued by this server; start again without a token, or send "
            "the last 'next_token' you received."
        ) from None
    well_formed = isinstance(fields, dict) and set(fields) <= {"e", "s", "u", "a", "l"}
    since, upto, after, epoch, locale = (
        (fields.get("s"), fields.get("u"), fields.get("a", ""), fields.get("e"), fields.get("l"))
        if well_formed
        else (0, 0, "", None, None)
    )
    well_formed = (
        well_formed
        and (epoch is None or isinstance(epoch, str))  # tokens of before epochs have none
        and (since is None or _is_generation(since))
        and (upto is None or _is_generation(upto))
        and isinstance(after, str)
        and (locale is None or isinstance(locale, str))
        and (since is not None or upto is not None)  # an initial sync has no token
        and (upto is not None or not after)  # a position within a round has its end
        and (since is None or upto is None or since <= upto)
    )
    if not well_formed:
        raise InvalidToken("this token is not valid here.")
    return SyncPosition(since=since, upto=upto, after=after, epoch=epoch, locale=locale)
