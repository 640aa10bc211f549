"""The fault-injection harness itself, end to end: the service under production settings
behind a proxy, a proxy that drops connections silently, Redis killed and frozen,
PostgreSQL restarted, a dump restored under connected clients."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import psycopg
import pytest
import redis

from tests.faults.conftest import DemoDatabase
from tests.faults.harness import (
    Gunicorn,
    Poller,
    PostgresCluster,
    RedisServer,
    TcpProxy,
    fetch,
    production_env,
    publish_new_version,
    version_of,
)

COMPONENT = "/api/v1/components/glycine-bedtime/"


def query_in_thread(conn: psycopg.Connection) -> tuple[threading.Thread, list[object]]:
    """Send ``SELECT 1`` on ``conn`` from a thread; the list gets its row or its error."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(conn.execute("SELECT 1").fetchone())
        except psycopg.Error as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def test_gunicorn_serves_the_demo_content_through_the_proxy_under_production_settings(
    pg_cluster: PostgresCluster,
    redis_server: RedisServer,
    demo_database: DemoDatabase,
    make_proxy: Callable[[int], TcpProxy],
    start_gunicorn: Callable[..., Gunicorn],
) -> None:
    proxy = make_proxy(pg_cluster.port)
    database_url = proxy.url_for(pg_cluster.url(demo_database.name, sslmode="disable"))
    env = production_env(database_url, redis_server.url(1))
    server = start_gunicorn(env, workers=2, headers=demo_database.headers)
    assert len(server.worker_pids()) == 2

    reply = fetch(server.base_url, COMPONENT, demo_database.headers)
    assert reply.status == 200, reply.body[:500]
    published = reply.json()["version"]
    assert reply.json()["slug"] == "glycine-bedtime"
    assert fetch(server.base_url, COMPONENT, {"X-Forwarded-Proto": "https"}).status in {401, 403}
    assert any(info.bytes_down for info in proxy.connections()), "the workers use the proxy"

    newer = publish_new_version(demo_database.url, "glycine-bedtime")
    assert newer > published
    with Poller(server.base_url, [COMPONENT], demo_database.headers, extract=version_of) as poll:
        time.sleep(1.0)
    assert set(poll.counts()) == {200}
    assert {sample.body for sample in poll.samples} == {newer}
    assert {"Cache-Control", "ETag"} <= set(poll.samples[-1].headers)
    assert poll.max_latency() < 5


def test_a_blackholed_connection_answers_nothing_and_heal_lets_new_connections_through(
    pg_cluster: PostgresCluster, make_proxy: Callable[[int], TcpProxy]
) -> None:
    proxy = make_proxy(pg_cluster.port)
    url = proxy.url_for(pg_cluster.url(sslmode="disable", application_name="faults-probe"))
    dropped = psycopg.connect(url, autocommit=True, connect_timeout=2)
    assert dropped.execute("SELECT 1").fetchone() == (1,)

    assert proxy.blackhole(blackhole_new=True) == 1
    waiting, outcome = query_in_thread(dropped)
    waiting.join(timeout=1.0)
    assert waiting.is_alive(), f"the blackholed connection answered: {outcome}"
    started = time.monotonic()
    with pytest.raises(psycopg.OperationalError, match="timeout"):
        psycopg.connect(url, connect_timeout=2)
    assert time.monotonic() - started < 4

    proxy.heal()
    with psycopg.connect(url, autocommit=True, connect_timeout=2) as fresh:
        assert fresh.execute("SELECT 2").fetchone() == (2,)
    assert waiting.is_alive(), "a blackholed connection stays dead after heal()"

    proxy.cut()
    waiting.join(timeout=5)
    assert isinstance(outcome[0], psycopg.OperationalError)


def test_the_proxy_picks_connections_by_application_name_with_or_without_ssl_request(
    pg_cluster: PostgresCluster, make_proxy: Callable[[int], TcpProxy]
) -> None:
    proxy = make_proxy(pg_cluster.port)
    clear = psycopg.connect(
        proxy.url_for(pg_cluster.url(sslmode="disable", application_name="recovery-listener")),
        autocommit=True,
    )
    negotiated = psycopg.connect(  # libpq asks for SSL first; the cluster declines
        proxy.url_for(pg_cluster.url(sslmode="prefer", application_name="recovery-listener")),
        autocommit=True,
    )
    other = psycopg.connect(proxy.url_for(pg_cluster.url(application_name="web")), autocommit=True)
    names = sorted(str(info.application_name) for info in proxy.connections())
    assert names == ["recovery-listener", "recovery-listener", "web"]

    assert proxy.blackhole(TcpProxy.application_marker("recovery-listener")) == 2
    assert other.execute("SELECT 1").fetchone() == (1,)
    assert [info.application_name for info in proxy.connections() if not info.blackholed] == ["web"]
    proxy.cut()
    for conn in (clear, negotiated, other):
        conn.close()


def test_redis_comes_back_empty_after_a_kill_and_answers_again_after_a_thaw(
    redis_server: RedisServer,
) -> None:
    client = redis_server.client(timeout=0.5)
    client.set("fault", "before")
    redis_server.kill()
    with pytest.raises(redis.ConnectionError):
        client.ping()
    redis_server.start()
    assert client.ping()
    assert client.get("fault") is None, "nothing persists across a kill"

    redis_server.freeze()
    with pytest.raises(redis.TimeoutError):
        client.ping()
    redis_server.thaw()
    assert client.ping()
    client.close()


def test_postgres_restarts_on_the_same_port_and_drops_its_clients(
    pg_cluster: PostgresCluster,
) -> None:
    before = psycopg.connect(pg_cluster.url(), autocommit=True)
    pg_cluster.restart()
    assert pg_cluster.is_running
    with pytest.raises(psycopg.OperationalError):
        before.execute("SELECT 1")
    with psycopg.connect(pg_cluster.url(), autocommit=True) as after:
        assert after.execute("SELECT 1").fetchone() == (1,)

    pg_cluster.stop()
    assert not pg_cluster.is_running
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(pg_cluster.url(), connect_timeout=2)
    # servers_back_up starts it again


def test_a_dump_restores_into_a_database_with_clients_connected(
    pg_cluster: PostgresCluster, tmp_path_factory: pytest.TempPathFactory
) -> None:
    pg_cluster.drop_database("faults_restore")
    pg_cluster.create_database("faults_restore")
    pg_cluster.psql("faults_restore", "CREATE TABLE note (n int); INSERT INTO note VALUES (1), (2)")
    dump = pg_cluster.dump("faults_restore", tmp_path_factory.mktemp("dump") / "notes.dump")
    pg_cluster.psql("faults_restore", "INSERT INTO note VALUES (3)")

    with psycopg.connect(pg_cluster.url("faults_restore"), autocommit=True) as client:
        pg_cluster.restore("faults_restore", dump)
        assert client.execute("SELECT count(*) FROM note").fetchone() == (2,)
    pg_cluster.drop_database("faults_restore")
