"""One fault scenario, as the tests and the benchmark run it: gunicorn with several workers
under production settings, reaching its database through a TcpProxy and its own Redis;
apps polling a mix of paths (a component, the full list, a plan, a delta sync from a token);
an editor publishing a new version every few seconds through the workflow; and, at the end,
a report of what the apps saw against what the database said."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from .analysis import Report, analyse, every_worker_answers
from .observations import Observer, Timeline
from .poller import Poller
from .postgres import PostgresCluster
from .processes import ROOT
from .proxy import TcpProxy
from .publishing import Change, Publisher, State, WorkflowProcess
from .service import Gunicorn, Reply, api_headers, fetch, production_env

#: The component published again and again (a supplement: two approvals each time).
PUBLISHED = "glycine-bedtime"
#: A component in no plan, withdrawn by the scenarios that withdraw one.
WITHDRAWN = "downward-dog"
#: A plan that embeds PUBLISHED.
PLAN = "glycine-sleep-reset"
#: Extra variables for the service under test, e.g. ``DELIVERY_STALENESS_SECONDS=3600`` to
#: see the tests fail against a service that does not bound staleness (space-separated).
APP_ENV_VARIABLE = "FAULTS_APP_ENV"
#: Another checkout to serve instead of this one (e.g. ``git archive`` of an older commit,
#: to see the tests catch what it did wrong); the harness's own Django scripts still run
#: this checkout's code.
APP_ROOT_VARIABLE = "FAULTS_APP_ROOT"


def detail_path(slug: str) -> str:
    return f"/api/v1/components/{slug}/"


def sync_path(token: str | None = None) -> str:
    return "/api/v1/sync/?page_size=100" + (f"&token={token}" if token else "")


def app_env_overrides() -> dict[str, str]:
    """The variables ``FAULTS_APP_ENV`` adds to the service's environment."""
    pairs = os.environ.get(APP_ENV_VARIABLE, "").split()
    return dict(pair.split("=", 1) for pair in pairs if "=" in pair)


def app_root() -> Path:
    """The checkout the service under test runs from (``FAULTS_APP_ROOT``, else this one)."""
    return Path(os.environ.get(APP_ROOT_VARIABLE) or ROOT)


def state_of(reply: Reply) -> State:
    """What a detail answer says: the version and title, or None for a 404."""
    if reply.status == 404:
        return None
    if reply.status != 200:
        raise AssertionError(f"expected 200 or 404, got {reply.status}: {reply.body[:300]!r}")
    body = reply.json()
    return (body["version"], body["title"])


@dataclass(frozen=True)
class Fault:
    """A fault's name and when it began and ended (``time.monotonic()``)."""

    name: str
    began: float
    ended: float


class Scenario:
    """The service under a fault (see the module's docstring). Use as a context manager:
    entering starts the proxy, gunicorn (and waits until every worker answers), the workflow
    process, the poller and the publisher; leaving stops them all.

    ``env`` adds or replaces variables of the service's environment (``FAULTS_APP_ENV``
    too); ``publish_every`` is the publisher's interval (None: no publisher);
    ``poll_timeout`` is how long the apps wait for an answer; ``show_log`` prints the end of
    gunicorn's log when it stops. gunicorn runs with its
    defaults (a worker silent for 30 s is killed) but a short graceful shutdown.
    """

    def __init__(
        self,
        cluster: PostgresCluster,
        dbname: str,
        redis_url: str,
        api_key: str,
        *,
        workers: int = 4,
        poll_threads: int = 4,
        publish_every: float | None = 2.0,
        env: Mapping[str, str | int] | None = None,
        bound: float = 2.0,
        gunicorn_args: tuple[str, ...] = ("--graceful-timeout", "3"),
        poll_timeout: float = 5.0,
        show_log: bool = True,
    ) -> None:
        self.cluster = cluster
        self.dbname = dbname
        self.redis_url = redis_url
        self.api_key = api_key
        self.headers = api_headers(api_key)
        self.workers = workers
        self.poll_threads = poll_threads
        self.poll_timeout = poll_timeout
        self.show_log = show_log
        self.publish_every = publish_every
        self.bound = bound
        self.faults: list[Fault] = []
        self.proxy = TcpProxy(cluster.port)
        self._env = {**(env or {}), **app_env_overrides()}
        self._gunicorn_args = gunicorn_args
        self.server: Gunicorn | None = None
        self.process = WorkflowProcess(cluster.url(dbname))
        self.observer = Observer([PUBLISHED, WITHDRAWN])
        self.timeline: Timeline | None = None
        self.poller: Poller | None = None
        self.publisher: Publisher | None = None
        self.token = ""

    # Running it

    def __enter__(self) -> Self:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def database_url(self) -> str:
        """The service's database URL: through the proxy, in clear (``sslmode=disable``), so
        that the proxy sees each connection's ``application_name``."""
        return self.proxy.url_for(self.cluster.url(self.dbname, sslmode="disable"))

    @property
    def direct_url(self) -> str:
        """The database's URL straight to the cluster, for the harness's own changes."""
        return self.cluster.url(self.dbname)

    def start(self) -> None:
        self.started_wall = time.time()
        self.proxy.start()
        env = production_env(self.database_url, self.redis_url, **self._env)
        self.server = Gunicorn(
            env,
            workers=self.workers,
            headers=self.headers,
            args=self._gunicorn_args,
            root=app_root(),
        )
        self.server.start()
        self.every_worker(detail_path(PUBLISHED), lambda reply: reply.status == 200)
        self.timeline = Timeline({slug: self.state(slug) for slug in self.observer.tracked})
        self.token = self.sync_token()
        self.observer.add_token(self.token, self.states())
        self.poller = Poller(
            self.server.base_url,
            [detail_path(PUBLISHED), "/api/v1/components/?page_size=100",
             f"/api/v1/plans/{PLAN}/", sync_path(self.token), detail_path(WITHDRAWN)],
            self.headers, threads=self.poll_threads, extract=self.observer,
            timeout=self.poll_timeout,
        )  # fmt: skip
        self.poller.start()
        if self.publish_every is not None:
            self.process.warm_up()
            self.publisher = Publisher(
                self.process, PUBLISHED, interval=self.publish_every, record=self.timeline.add
            )
            self.publisher.start()

    def stop(self) -> None:
        """Stop everything (safe to call more than once)."""
        if self.publisher is not None:
            self.publisher.stop()
        if self.poller is not None:
            self.poller.stop()
        self.process.close()
        if self.server is not None:
            if self.show_log:  # pytest shows it when the test failed
                print(f"--- {self.server!r} log (end):\n{self.server.logs()[-4000:]}")
            self.server.cleanup()
        self.proxy.stop()

    # Faults and changes

    @contextlib.contextmanager
    def fault(self, name: str) -> Iterator[None]:
        """Time the fault the ``with`` block makes (its start and end are recorded)."""
        began = time.monotonic()
        try:
            yield
        finally:
            self.faults.append(Fault(name, began, time.monotonic()))

    def withdraw(self, slug: str = WITHDRAWN) -> Change:
        """Withdraw ``slug`` now, through the workflow; recorded in the timeline."""
        assert self.timeline is not None
        return self.timeline.add(self.process.withdraw(slug))

    def publish(self, slug: str = PUBLISHED) -> Change:
        """Publish a new version of ``slug`` now; recorded in the timeline."""
        assert self.timeline is not None
        return self.timeline.add(self.process.publish(slug))

    def run(self, seconds: float) -> None:
        """Let the apps poll (and the publisher publish) for ``seconds``."""
        time.sleep(seconds)

    # What the service says

    def fetch(self, path: str, headers: Mapping[str, str] | None = None) -> Reply:
        assert self.server is not None
        return fetch(self.server.base_url, path, headers or self.headers)

    def state(self, slug: str) -> State:
        """What the service serves for ``slug`` now (one request)."""
        return state_of(self.fetch(detail_path(slug)))

    def states(self) -> dict[str, State]:
        return {slug: self.state(slug) for slug in self.observer.tracked}

    def sync_token(self) -> str:
        """The token of an app that has synced everything now."""
        body = self.fetch(sync_path()).json()
        assert not body["has_more"], "the demo content fits one page of 100"
        return body["next_token"]

    def every_worker(
        self,
        path: str,
        accept: Any,
        *,
        timeout: float = 20,
        headers: Mapping[str, str] | None = None,
    ) -> float:
        """Seconds until every worker has answered ``path`` (with ``headers``, by default
        the scenario's key) as ``accept`` wants (see ``analysis.every_worker_answers``)."""
        assert self.server is not None
        return every_worker_answers(
            self.server, path, headers or self.headers, accept, timeout=timeout
        )

    def every_worker_serves_the_database(self, *, timeout: float = 20) -> float:
        """Check that every worker serves each tracked item as the database has it now (and
        that the timeline agrees with the database); return the seconds it took."""
        assert self.timeline is not None
        started = time.monotonic()
        for slug in sorted(self.observer.tracked):
            truth = self.published_in_database(slug)
            assert truth == self.timeline.current(slug), (
                f"{slug}: the database has {truth}, the harness recorded "
                f"{self.timeline.current(slug)}"
            )
            self.every_worker(
                detail_path(slug), lambda reply, truth=truth: state_of(reply) == truth,
                timeout=timeout,
            )  # fmt: skip
        return time.monotonic() - started

    def published_in_database(self, slug: str) -> State:
        """The published version of ``slug`` and its title, read from the database."""
        row = self.cluster.psql(
            self.dbname,
            "SELECT v.number || E'\\t' || v.title FROM content_version v JOIN "
            "content_contentitem i ON i.id = v.item_id WHERE v.state = 'published' AND "
            f"i.slug = '{slug}'",
        ).strip()
        if not row:
            return None
        number, title = row.split("\t", 1)
        return (int(number), title)

    def record_publications_from_database(self, slug: str = PUBLISHED) -> list[Change]:
        """Add to the timeline the versions of ``slug`` published since the scenario started
        by someone else than the harness (e.g. through the admin), as the database recorded
        them (``published_at``, set in the transaction that published); return them."""
        assert self.timeline is not None
        rows = self.cluster.psql(
            self.dbname,
            "SELECT v.number || E'\\t' || extract(epoch FROM v.published_at) || E'\\t' || "
            "v.title FROM content_version v JOIN content_contentitem i ON i.id = v.item_id "
            f"WHERE i.slug = '{slug}' AND v.published_at >= to_timestamp({self.started_wall}) "
            "ORDER BY v.published_at",
        ).splitlines()
        offset = time.time() - time.monotonic()
        changes = []
        for row in rows:
            number, at, title = row.split("\t", 2)
            changes.append(
                self.timeline.add(Change(slug, (int(number), title), float(at) - offset))
            )
        return changes

    # What the apps saw

    def finish(self, unsettled: Sequence[tuple[float, float]] = ()) -> Report:
        """Stop the publisher and the poller; return the report."""
        assert self.poller is not None and self.timeline is not None and self.server
        if self.publisher is not None:
            self.publisher.stop()
        self.poller.stop()
        time.sleep(0.2)  # the access log's last lines
        return self.report(unsettled)

    def report(self, unsettled: Sequence[tuple[float, float]] = ()) -> Report:
        """What the apps saw (see ``analysis.analyse``); recovery is measured from the end
        of the last fault."""
        assert self.poller is not None and self.timeline is not None and self.server
        return analyse(
            self.poller.samples, self.observer, self.timeline, bound=self.bound,
            workers=self.server.request_workers(),
            fault_end=self.faults[-1].ended if self.faults else None, unsettled=unsettled,
        )  # fmt: skip
