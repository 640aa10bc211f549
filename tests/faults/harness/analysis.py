"""What a fault scenario's samples add up to: statuses, latencies, staleness against the
bound, and how long after the fault every worker answered fresh again; and a probe that
asks until every worker has given an acceptable answer."""

from __future__ import annotations

import itertools
import math
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .observations import Observer, Timeline
from .poller import Sample
from .processes import HarnessError
from .service import Gunicorn, Reply, fetch

#: A sample at most this stale counts as fresh when measuring recovery (seconds): what a
#: working LISTEN connection and the time to answer add up to.
FRESH_WITHIN = 0.25


def percentile(values: Sequence[float], fraction: float) -> float:
    """The ``fraction`` (0 to 1) quantile of ``values``, nearest rank (0 if empty)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


@dataclass(frozen=True)
class Stale:
    """A sample that showed an item staler than allowed."""

    sample: Sample
    slug: str
    staleness: float
    worker: int | None

    def __str__(self) -> str:
        seen = self.sample.body.states.get(self.slug) if self.sample.body else None
        return (
            f"{self.sample.path} sent at {self.sample.started:.2f} (worker {self.worker}) "
            f"showed {self.slug} as {seen} {self.staleness:.2f} s after it changed"
        )


@dataclass
class Report:
    """What clients saw during one scenario."""

    requests: int
    statuses: Counter[Any]
    p50: float
    p99: float
    max_latency: float
    max_staleness: float
    stale: list[Stale]  # past the bound (and slack)
    recovery: float | None  # seconds from the fault's end to every worker fresh; None: never
    workers: dict[int, float] = field(default_factory=dict)  # each worker's recovery
    lagging: int = 0  # answers that showed something more than FRESH_WITHIN old
    longest_silence: float = 0.0  # the longest time in which no answer at all arrived
    unsettled_stale: list[Stale] = field(default_factory=list)  # see analyse()

    def summary(self) -> dict[str, Any]:
        """The figures, JSON-able."""
        return {
            "requests": self.requests,
            "statuses": {str(status): count for status, count in sorted(self.statuses.items(),
                                                                       key=str)},
            "latency_p50_ms": round(self.p50 * 1000, 1),
            "latency_p99_ms": round(self.p99 * 1000, 1),
            "latency_max_ms": round(self.max_latency * 1000, 1),
            "max_staleness_s": None if math.isinf(self.max_staleness)
            else round(self.max_staleness, 2),
            "lagging_answers": self.lagging,
            "stale_past_bound": len(self.stale),
            "odd_while_unsettled": len(self.unsettled_stale),
            "recovery_s": None if self.recovery is None else round(self.recovery, 2),
            "longest_silence_s": round(self.longest_silence, 2),
        }  # fmt: skip


def analyse(
    samples: Sequence[Sample],
    observer: Observer,
    timeline: Timeline,
    *,
    bound: float,
    slack: float = 0.3,
    workers: Mapping[str, tuple[int, int]] | None = None,
    fault_end: float | None = None,
    unsettled: Sequence[tuple[float, float]] = (),
) -> Report:
    """Sum up ``samples`` (see ``Report``). A sample is stale past the bound if it shows an
    item more than ``bound + slack`` seconds after the database stopped saying so.
    ``workers`` (``Gunicorn.request_workers()``) tells who answered each; with
    ``fault_end``, each worker's recovery is the time from it to the first sample after
    which that worker only answered fresh (200, or 404 for a withdrawn item, showing what
    the database said ``FRESH_WITHIN`` before).

    An ``unsettled`` period (e.g. while a dump is being restored, and a bound after) is one
    in which the database says nothing definite: a sample sent then may show what the
    database said when the period began or ended, or when the sample was sent (each within
    the bound); one that shows none of these (a state made of half-restored tables) is
    listed in ``unsettled_stale``, not in ``stale``."""
    workers = workers or {}
    latencies = [sample.elapsed for sample in samples]
    worst, stale, odd, lagging = 0.0, [], [], 0
    last_bad: dict[int, float] = {}
    first_good_after: dict[int, float] = {}
    for sample in sorted(samples, key=lambda sample: sample.started):
        worker = workers.get(sample.request_id, (None, 0))[0]
        seen = observer.seen(sample)
        late, slug = timeline.sample_staleness(seen, sample.started)
        period = [(b, e) for b, e in unsettled if b <= sample.started < e]
        if period:
            for moment in period[0]:
                late = min(late, timeline.sample_staleness(seen, moment)[0])
            if slug is not None and late > bound + slack:
                odd.append(Stale(sample, slug, late, worker))
            late, slug = 0.0, None
        worst = max(worst, late)
        lagging += late > FRESH_WITHIN
        if slug is not None and late > bound + slack:
            stale.append(Stale(sample, slug, late, worker))
        if fault_end is None or worker is None or sample.started < fault_end:
            continue
        if sample.status in (200, 404) and late <= FRESH_WITHIN:  # a wrong 404 is stale
            first_good_after.setdefault(worker, sample.started)
        else:
            last_bad[worker] = sample.started
            first_good_after.pop(worker, None)
    recovery: float | None = None
    per_worker: dict[int, float] = {}
    if fault_end is not None:
        seen_workers = set(first_good_after) | set(last_bad)
        per_worker = {
            worker: max(0.0, first_good_after[worker] - fault_end)
            for worker in seen_workers
            if worker in first_good_after
        }
        if seen_workers and len(per_worker) == len(seen_workers):
            recovery = max(per_worker.values())
    return Report(
        requests=len(samples),
        statuses=Counter(sample.status for sample in samples),
        p50=percentile(latencies, 0.5),
        p99=percentile(latencies, 0.99),
        max_latency=max(latencies, default=0.0),
        max_staleness=worst,
        stale=stale,
        recovery=recovery,
        workers=per_worker,
        unsettled_stale=odd,
        lagging=lagging,
        longest_silence=longest_silence(samples),
    )


def longest_silence(samples: Sequence[Sample]) -> float:
    """The longest time between two answers (any HTTP status) arriving, while polling."""
    ends = sorted(s.started + s.elapsed for s in samples if isinstance(s.status, int))
    return max((later - earlier for earlier, later in itertools.pairwise(ends)), default=0.0)


def every_worker_answers(
    server: Gunicorn,
    path: str,
    headers: Mapping[str, str],
    accept: Callable[[Reply], bool],
    *,
    timeout: float = 15,
    concurrency: int = 6,
) -> float:
    """Send ``path`` in rounds of ``concurrency`` concurrent requests until each of the
    server's current workers has given an answer ``accept`` takes as its latest answer;
    return the seconds it took. Raise HarnessError naming the workers that did not, with
    their last answers, after ``timeout`` seconds."""
    started = time.monotonic()
    latest: dict[int, tuple[bool, str]] = {}
    lock = threading.Lock()
    counter = iter(range(10**9))

    def one() -> None:
        request_id = f"probe-{id(latest)}-{next(counter)}"
        try:
            reply = fetch(server.base_url, path, {**headers, "X-Request-ID": request_id}, 10)
        except OSError as exc:
            replies.append((request_id, False, f"{type(exc).__name__}"))
            return
        with lock:
            replies.append((request_id, accept(reply), f"{reply.status} {reply.body[:200]!r}"))

    while True:
        replies: list[tuple[str, bool, str]] = []
        threads = [threading.Thread(target=one) for _ in range(concurrency)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        answered = _wait_for_access_log(server, [request_id for request_id, _, _ in replies])
        for request_id, ok, what in replies:
            if request_id in answered:
                latest[answered[request_id][0]] = (ok, what)
        pids = server.worker_pids()
        if pids and all(latest.get(pid, (False, ""))[0] for pid in pids):
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            missing = {pid: latest.get(pid, (False, "no answer"))[1] for pid in pids}
            raise HarnessError(f"not every worker answered as expected on {path}: {missing}")
        time.sleep(0.05)


def _wait_for_access_log(server: Gunicorn, request_ids: list[str]) -> dict[str, tuple[int, int]]:
    """The access log's entries for ``request_ids``, once they are all written (or after
    a second)."""
    deadline = time.monotonic() + 1.0
    while True:
        found = server.request_workers()
        if all(request_id in found for request_id in request_ids) or (time.monotonic() > deadline):
            return found
        time.sleep(0.02)
