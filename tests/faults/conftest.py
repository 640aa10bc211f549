"""Fixtures of the fault tests: a PostgreSQL cluster and a Redis server of their own for the
session (never the machine's shared ones), the demo content loaded once, a copy of it for
each scenario test (``database``; restores and publications change only the copy), running
scenarios (``make_scenario``), and proxies and gunicorn servers stopped after each test.

Every test here is marked ``postgres_only`` (it runs in the PostgreSQL leg of CI only), and
skipped, with what is missing, where the PostgreSQL server binaries, redis-server or the
``postgres`` OS user are not available.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.faults.harness import (
    Gunicorn,
    PostgresCluster,
    RedisServer,
    Scenario,
    TcpProxy,
    api_headers,
    create_api_key,
    missing_prerequisites,
    prepare_database,
    quote_identifier,
)

HERE = Path(__file__).resolve().parent
MISSING = missing_prerequisites()
DEMO_DATABASE = "recovery_faults"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests of this folder ``postgres_only`` (before tests/conftest.py skips those
    on SQLite), and skip them where the servers they start cannot be run."""
    skip = pytest.mark.skip(reason="fault tests need " + "; ".join(MISSING)) if MISSING else None
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.postgres_only)
            if skip is not None:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PostgresCluster]:
    """A running PostgreSQL cluster of the session's own, removed at the end."""
    cluster = PostgresCluster()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.cleanup()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """A running Redis server of the session's own, removed at the end."""
    server = RedisServer()
    try:
        server.start()
        yield server
    finally:
        server.cleanup()


@pytest.fixture(autouse=True)
def servers_back_up(request: pytest.FixtureRequest) -> Iterator[None]:
    """After each test, bring back the session's servers it stopped, killed or froze."""
    yield
    for value in request.node.funcargs.values():
        if isinstance(value, PostgresCluster | RedisServer):
            value.ensure_running()


@dataclass(frozen=True)
class DemoDatabase:
    """The demo content, loaded through the workflow, and an API key to read it with."""

    name: str
    url: str  # direct to the cluster, never through a proxy
    api_key: str

    @property
    def headers(self) -> dict[str, str]:
        """An app's request headers under production settings (key, HTTPS)."""
        return api_headers(self.api_key)


@pytest.fixture(scope="session")
def demo_database(pg_cluster: PostgresCluster) -> DemoDatabase:
    """The database ``recovery_faults`` of the session's cluster, with the demo content
    (shared by the session: a test that changes it restores it, e.g. from a dump)."""
    url = prepare_database(pg_cluster, DEMO_DATABASE)
    return DemoDatabase(DEMO_DATABASE, url, create_api_key(url))


_copies = itertools.count(1)


@pytest.fixture
def database(
    pg_cluster: PostgresCluster, demo_database: DemoDatabase, redis_server: RedisServer
) -> Iterator[str]:
    """The name of a copy of the demo database for this test alone (``CREATE DATABASE ...
    TEMPLATE``, a fraction of a second), dropped after it; the session's Redis is emptied
    first, so that no count or entry of another test is left in it."""
    name = f"faults_copy_{next(_copies)}"
    pg_cluster.drop_database(name)
    pg_cluster.psql(
        "postgres",
        f"CREATE DATABASE {quote_identifier(name)} TEMPLATE {quote_identifier(demo_database.name)}",
    )
    client = redis_server.client()
    client.flushall()
    client.close()
    yield name
    pg_cluster.drop_database(name)


@pytest.fixture
def make_scenario(
    pg_cluster: PostgresCluster,
    redis_server: RedisServer,
    demo_database: DemoDatabase,
    database: str,
) -> Iterator[Callable[..., Scenario]]:
    """``make_scenario(**options)``: a running harness.Scenario on this test's copy of the
    demo database (options as for Scenario), stopped after the test."""
    scenarios: list[Scenario] = []

    def make(**options: object) -> Scenario:
        scenario = Scenario(
            pg_cluster, database, redis_server.url(0), demo_database.api_key, **options
        )  # type: ignore[arg-type]
        scenarios.append(scenario)
        scenario.start()
        return scenario

    yield make
    for scenario in scenarios:
        scenario.stop()


@pytest.fixture
def make_proxy() -> Iterator[Callable[[int], TcpProxy]]:
    """``make_proxy(port)``: a running TcpProxy to 127.0.0.1:port, stopped after the test."""
    proxies: list[TcpProxy] = []

    def make(port: int) -> TcpProxy:
        proxy = TcpProxy(port)
        proxies.append(proxy)
        proxy.start()
        return proxy

    yield make
    for proxy in proxies:
        proxy.stop()


@pytest.fixture
def start_gunicorn() -> Iterator[Callable[..., Gunicorn]]:
    """``start_gunicorn(env, workers=2, headers=..., args=...)``: a running Gunicorn (see
    harness.Gunicorn), stopped after the test; its log is printed at teardown, where pytest
    shows it if the test failed."""
    servers: list[Gunicorn] = []

    def start(env: Mapping[str, str], **options: object) -> Gunicorn:
        server = Gunicorn(env, **options)  # type: ignore[arg-type]
        servers.append(server)
        server.start()
        return server

    yield start
    for server in servers:
        server.stop()
        print(f"--- {server!r} log:\n{server.logs()[-5000:]}")
        server.cleanup()
