"""The job worker through a PostgreSQL restart: it waits, reconnects, and sends what was
published meanwhile, each event once, signed; the server's webhook receiver is real."""

from __future__ import annotations

import subprocess
import time

from tests.faults.harness import PostgresCluster, WorkflowProcess, django_script
from tests.faults.harness.processes import ROOT, HarnessError, venv_executable
from tests.faults.harness.service import development_env
from tests.servers import WebhookReceiver

SECRET = "whsec_" + "c2VjcmV0LWZvci10aGUtd29ya2VyLWZhdWx0LXRlc3Q="

_ENDPOINT = """
from content.models import WebhookEndpoint
WebhookEndpoint.objects.create(url=args["url"], secret=args["secret"],
                               event_types=["content.published"])
result = True
"""


def publish_after_restart(editor: WorkflowProcess, slug: str) -> None:
    """The editor's own connection died with the restart too: its first call may fail, and
    the next one reconnects."""
    for _ in range(3):
        try:
            editor.publish(slug)
            return
        except HarnessError:
            time.sleep(1)
    editor.publish(slug)


def test_the_job_worker_survives_a_postgres_restart(pg_cluster: PostgresCluster, database: str):
    url = pg_cluster.url(database)
    with WebhookReceiver(SECRET) as receiver, WorkflowProcess(url) as editor:
        django_script(url, _ENDPOINT, args={"url": receiver.url, "secret": SECRET})
        worker = subprocess.Popen(
            [venv_executable("python"), "manage.py", "worker", "--interval", "0.1"],
            cwd=ROOT, env=development_env(url),
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            editor.publish("glycine-bedtime")
            receiver.wait_for(1, timeout=30)

            pg_cluster.restart()
            time.sleep(3)  # the worker meets the restart: its connection is gone
            assert worker.poll() is None, worker.stderr.read() if worker.stderr else ""
            publish_after_restart(editor, "glycine-bedtime")
            editor.publish("glycine-bedtime")
            arrived = receiver.wait_for(3, timeout=60)
        finally:
            worker.terminate()
            _, log = worker.communicate(timeout=30)
    assert "Traceback" not in log.split("Received Terminated")[-1]  # it ended cleanly
    ids = [request.headers["webhook-id"] for request in arrived]
    assert len(set(ids)) == 3
    assert all(request.verified for request in arrived)
    assert [r.verified_payload["data"]["version"] for r in arrived] == sorted(
        r.verified_payload["data"]["version"] for r in arrived
    )
