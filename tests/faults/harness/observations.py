"""What an answer says is published, and what was published when: the two sides of every
staleness check.

``Observer`` is a ``Poller`` extract: from a component, a plan, a list or a sync answer it
keeps the state (version and title, or nothing served) of each tracked item. ``Timeline``
holds what the database said at each moment: the initial states, each publication and
withdrawal as it committed, and restores (everything back to what it was when the dump was
taken). A sample is as stale as the time since the first change it does not show.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .poller import Sample
from .publishing import Change, State

_DETAIL = re.compile(r"^/api/v1/(?:components|plans)/([^/?]+)/$")


@dataclass(frozen=True)
class Seen:
    """What one answer showed: the state of each tracked item it speaks of (None: not
    served), and, for a sync answer, whether it told the client to start again."""

    states: dict[str, State] = field(default_factory=dict)
    reset: bool | None = None


def _state(document: Mapping[str, Any]) -> State:
    return (document["version"], document["title"])


class Observer:
    """Reads answers for the items in ``tracked`` (slugs of components and plans).

    A complete list (no next page) or an initial sync shows an item it leaves out as not
    served; a delta sync shows an item it leaves out as it was when its token was issued:
    ``baselines`` maps each token polled to those states (see ``Observer.token_baseline``).
    """

    def __init__(self, tracked: Iterable[str]) -> None:
        self.tracked = set(tracked)
        self.baselines: dict[str, dict[str, State]] = {}

    def add_token(self, token: str, states: Mapping[str, State]) -> None:
        """Say what the tracked items were when ``token`` was issued."""
        self.baselines[token] = {slug: states.get(slug) for slug in self.tracked}

    def __call__(self, path: str, body: Any) -> Seen:
        """The ``Poller`` extract: what a 200's JSON ``body`` for ``path`` shows."""
        if not isinstance(body, dict):
            return Seen()
        if body.get("type") == "component":
            return Seen(self._keep({body["slug"]: _state(body)}))
        if body.get("type") == "plan":
            found = {body["slug"]: _state(body)}
            for item in body.get("items", []):
                found[item["component"]["slug"]] = _state(item["component"])
            return Seen(self._keep(found))
        if "results" in body:
            found = {row["slug"]: _state(row) for row in body["results"]}
            if body.get("next") is None and body.get("previous") is None:
                found = {slug: found.get(slug) for slug in self.tracked} | found
            return Seen(self._keep(found))
        if "changes" in body:
            return self._sync(path, body)
        return Seen()

    def seen(self, sample: Sample) -> Seen:
        """What ``sample`` showed: its extract for a 200, nothing served for a 404 of a
        tracked item's detail, nothing otherwise."""
        if sample.status == 200 and isinstance(sample.body, Seen):
            return sample.body
        if sample.status == 404:
            found = _DETAIL.match(urlsplit(sample.path).path)
            if found and found.group(1) in self.tracked:
                return Seen({found.group(1): None})
        return Seen()

    def _sync(self, path: str, body: dict[str, Any]) -> Seen:
        token = parse_qs(urlsplit(path).query).get("token", [None])[0]
        reset = bool(body.get("reset"))
        if token is None or reset:
            found: dict[str, State] = dict.fromkeys(self.tracked)
        else:
            found = dict(self.baselines.get(token, {}))
        for change in body["changes"]:
            if change["slug"] in self.tracked:
                upsert = change["action"] == "upsert"
                found[change["slug"]] = _state(change["data"]) if upsert else None
        if body.get("has_more"):  # a later page may speak of the items this one leaves out
            found = {change["slug"]: found[change["slug"]] for change in body["changes"]}
        return Seen(self._keep(found), reset)

    def _keep(self, found: Mapping[str, State]) -> dict[str, State]:
        return {slug: state for slug, state in found.items() if slug in self.tracked}


class Timeline:
    """What the database said about each tracked item over time."""

    def __init__(self, initial: Mapping[str, State]) -> None:
        self._events: dict[str, list[tuple[float, State]]] = {
            slug: [(-math.inf, state)] for slug, state in initial.items()
        }
        self._lock = threading.Lock()  # the publisher's thread records too

    def add(self, change: Change) -> Change:
        """Record a publication or withdrawal; return it."""
        with self._lock:
            events = [*self._events.get(change.slug, []), (change.committed, change.state)]
            self._events[change.slug] = sorted(events, key=lambda event: event[0])
        return change

    def restore(self, *, at: float, as_of: float) -> None:
        """Record that at ``at`` a dump taken at ``as_of`` was restored."""
        for slug in self._events:
            self.add(Change(slug, self.state_at(slug, as_of), at))

    def state_at(self, slug: str, moment: float) -> State:
        """The state of ``slug`` committed at ``moment``."""
        found = None
        for at, state in self._events[slug]:
            if at > moment:
                break
            found = state
        return found

    def current(self, slug: str) -> State:
        return self._events[slug][-1][1]

    def staleness(self, slug: str, state: State, moment: float) -> float:
        """How long before ``moment`` the database stopped saying ``state`` for ``slug``:
        0 if it still said it then (or only said it later); ``inf`` if it never said it
        (a version that does not exist)."""
        events = self._events.get(slug)
        if not events:
            return 0.0
        shown = [n for n, (at, found) in enumerate(events) if found == state and at <= moment]
        if not shown:
            return 0.0 if any(found == state for _, found in events) else math.inf
        for at, found in events[shown[-1] + 1 :]:
            if found != state:
                return max(0.0, moment - at) if at <= moment else 0.0
        return 0.0

    def sample_staleness(self, seen: Seen, moment: float) -> tuple[float, str | None]:
        """The staleness of the stalest item an answer sent at ``moment`` showed, and its
        slug (None if it showed none stale)."""
        worst, which = 0.0, None
        for slug, state in seen.states.items():
            late = self.staleness(slug, state, moment)
            if late > worst:
                worst, which = late, slug
        return worst, which
