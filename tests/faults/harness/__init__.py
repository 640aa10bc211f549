"""Fault injection for the service as it runs in production: its own PostgreSQL cluster and
Redis server (to stop, kill, freeze and restore), a TCP proxy that can drop connections
silently the way a NAT does, gunicorn under production settings, the workflow driven from
subprocesses, and a poller that records what apps would see meanwhile.

One module per concern: ``processes`` (commands, ports, prerequisites), ``postgres``,
``redis_server``, ``proxy`` (and ``proxy_links``), ``service`` (gunicorn and its
environment), ``workflow`` (content set up and changed through the workflow), ``poller``,
and ``scenario`` (a fault scenario's publisher, and what its answers say about staleness and
recovery). Import it as ``from tests.faults import harness`` (pytest, or a script with the
repository root on ``sys.path``).

Nothing touches the machine's shared PostgreSQL or Redis: every server listens on a free
port of 127.0.0.1 and keeps its files in a fresh temporary folder. Only the standard
library, psycopg and redis-py are used in this process; Django runs in subprocesses.
"""

from .analysis import FRESH_WITHIN, Report, Stale, analyse, every_worker_answers, percentile
from .contention import (
    AdminReply,
    AdminSession,
    PostOutcome,
    concurrent_admin_posts,
    concurrent_cycles,
    page_messages,
)
from .observations import Observer, Seen, Timeline
from .poller import HEADERS_OF_INTEREST, Poller, Sample, version_of
from .postgres import PostgresCluster, probe_postgres, quote_identifier
from .processes import (
    POSTGRES_USER,
    ROOT,
    HarnessError,
    child_pids,
    clean_environment,
    find_postgres_bindir,
    free_port,
    log_tail,
    missing_prerequisites,
    process_alive,
    run_command,
    venv_executable,
    wait_until,
)
from .proxy import TcpProxy
from .proxy_links import ConnectionInfo, startup_parameter
from .publishing import Change, Publisher, State, WorkflowProcess
from .redis_server import RedisServer
from .scenario import (
    PLAN,
    PUBLISHED,
    WITHDRAWN,
    Fault,
    Scenario,
    app_env_overrides,
    detail_path,
    state_of,
    sync_path,
)
from .service import Gunicorn, Reply, api_headers, development_env, fetch, production_env
from .workflow import (
    create_api_key,
    create_key,
    django_script,
    manage,
    prepare_database,
    publish_new_version,
    withdraw,
)

__all__ = [
    "FRESH_WITHIN",
    "HEADERS_OF_INTEREST",
    "PLAN",
    "POSTGRES_USER",
    "PUBLISHED",
    "ROOT",
    "WITHDRAWN",
    "AdminReply",
    "AdminSession",
    "Change",
    "ConnectionInfo",
    "Fault",
    "Gunicorn",
    "HarnessError",
    "Observer",
    "Poller",
    "PostOutcome",
    "PostgresCluster",
    "Publisher",
    "RedisServer",
    "Reply",
    "Report",
    "Sample",
    "Scenario",
    "Seen",
    "Stale",
    "State",
    "TcpProxy",
    "Timeline",
    "WorkflowProcess",
    "analyse",
    "api_headers",
    "app_env_overrides",
    "child_pids",
    "clean_environment",
    "concurrent_admin_posts",
    "concurrent_cycles",
    "create_api_key",
    "create_key",
    "detail_path",
    "development_env",
    "django_script",
    "every_worker_answers",
    "fetch",
    "find_postgres_bindir",
    "free_port",
    "log_tail",
    "manage",
    "missing_prerequisites",
    "page_messages",
    "percentile",
    "prepare_database",
    "probe_postgres",
    "process_alive",
    "production_env",
    "publish_new_version",
    "quote_identifier",
    "run_command",
    "startup_parameter",
    "state_of",
    "sync_path",
    "venv_executable",
    "version_of",
    "wait_until",
    "withdraw",
]
