"""Delta sync for offline apps (docs/api.md, "Delta sync").

A client's whole position is in its signed token (``tokens.SyncPosition``): the server
keeps nothing per client. A sync happens in rounds. A round covers the changes up to the
delivery generation current when it started (``upto``) and pages through the items they
touched in slug order; a round without a starting point (the initial sync) pages through
everything served. Each item is sent in its state at the time of the page: an upsert with
its full answer, or a delete when nothing is served for it any more. Whatever changes
while a round is under way has a later generation and is sent by the next round, so a
client that keeps the last ``next_token`` misses nothing. A token of another epoch (issued
before the database was restored from a backup) gets an initial sync with ``reset`` true:
the client replaces its copy with what follows. A sync is in one locale: a token of another
locale gets an initial sync in the locale asked for, with ``reset`` true, too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from content.kinds import PLAN

from . import selectors
from .freshness import Generations, read_table
from .params import SyncQuery
from .plans import compose_plan, plan_components
from .rendering import dump
from .selectors import Changed, SyncRow
from .tokens import SyncPosition, encode_token


def sync_answer(query: SyncQuery, current: Generations, locale: str, default: str) -> str:
    """The answer to a sync request in ``locale`` at the ``current`` generations: changes,
    next token, more, and whether the client must replace its copy (``reset``). ``default``:
    the default locale, that of tokens issued before there were locales."""
    other_locale = (query.position.locale or default) != locale
    position = replace(query.position, locale=None)
    generation = current.content
    newest = max(position.since or 0, position.upto or 0)
    if position.epoch == current.epoch and newest > generation:
        # Issued by a worker that heard of a change before this one did?
        found = read_table()
        generation = max(generation, found.content if found else 0)
    reset = position != SyncPosition() and (
        position.epoch != current.epoch or newest > generation or other_locale
    )
    if reset:  # a token of before a restore, or of another locale: start again, and say so
        position = SyncPosition()
    if position.upto is None:  # a new round, up to now
        position = SyncPosition(since=position.since, upto=generation)
    size = query.page_size
    if position.since is None:
        # An initial sync sends everything served: the documents are the items.
        items: Sequence[Changed | SyncRow] = selectors.served_after(
            position.after, size + 1, locale
        )
        found = {row.slug: row for row in items[:size]}
    else:
        items = selectors.changed_after(
            position.since, position.upto, position.after, size + 1, locale
        )
        found = selectors.live_documents([item.slug for item in items[:size]], locale)
    has_more = len(items) > size
    items = items[:size]
    plans = [row for row in found.values() if row.kind == PLAN]
    components = plan_components(plans, locale) if plans else {}
    changes = []
    for item in items:
        type_ = "plan" if item.kind == PLAN else "component"
        head = f'{{"type":"{type_}","slug":{dump(item.slug)},"action":'
        row = found.get(item.slug)
        data, items_left = (None, 0) if row is None else (row.body, 1)
        if row is not None and item.kind == PLAN:
            data, items_left = compose_plan(row.body, row.plan_items, components, None)
        if items_left:
            changes.append(f'{head}"upsert","data":{data}}}')
        elif position.since is not None:  # withdrawn, or a plan none of whose components is
            changes.append(f'{head}"delete"}}')  # published any more: not served now
    following = (
        SyncPosition(
            since=position.since,
            upto=position.upto,
            after=items[-1].slug,
            epoch=current.epoch,
            locale=locale,
        )
        if has_more
        else SyncPosition(since=position.upto, epoch=current.epoch, locale=locale)
    )
    return (
        f'{{"changes":[{",".join(changes)}],"next_token":{dump(encode_token(following))},'
        f'"has_more":{"true" if has_more else "false"},"reset":{"true" if reset else "false"}}}'
    )
