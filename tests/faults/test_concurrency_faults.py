"""Many people acting on one item at once: every workflow action takes its locks in one
order (the item, then the version) and a transaction that loses a deadlock is tried again,
so each attempt either succeeds or is refused with the domain's message; in the admin a lost
race is a message on the page, never a 500. Apps meanwhile see each publication within the
bound."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from tests.faults.checks import (
    assert_no_server_error,
    assert_nothing_stale_past_the_bound,
)
from tests.faults.harness import (
    PUBLISHED,
    AdminSession,
    Scenario,
    concurrent_admin_posts,
    concurrent_cycles,
    django_script,
)

CYCLES = 20
PASSWORD = "fault-tests-only-9f3k2"
_SET_PASSWORDS = """
from django.contrib.auth.models import User
for user in User.objects.filter(username__in=args["users"]):
    user.set_password(args["password"])
    user.save()
result = User.objects.filter(username__in=args["users"]).count()
"""
_ITEM_ID = "SELECT id FROM content_contentitem WHERE slug = '{}'"


def test_20_concurrent_workflow_cycles_on_one_item_end_ok_or_refused_never_in_a_deadlock(
    make_scenario: Callable[..., Scenario],
) -> None:
    scenario = make_scenario(workers=3, publish_every=None)
    scenario.run(1)
    cycles = concurrent_cycles(scenario.direct_url, PUBLISHED, CYCLES)
    scenario.record_publications_from_database()
    scenario.run(scenario.bound + 1)
    report = scenario.finish()
    steps = [step for cycle in cycles for step in cycle]
    print(report.summary(), Counter((step[0], step[1]) for step in steps))

    errors = [step for step in steps if step[0] == "error"]
    assert not errors, "\n".join(step[3] for step in errors[:3])
    assert len(cycles) == CYCLES and all(cycles), cycles
    assert {step[1] for step in steps} <= {"ok", "refused"}
    # The threads contended on one version in review, not only on who may revise first.
    later = Counter(step[0] for step in steps if step[0] != "revise")
    assert sum(later.values()) > later["publish"] + 4, later
    published = [step for step in steps if step[0] == "publish" and step[1] == "ok"]
    assert published, Counter((step[0], step[1]) for step in steps)
    assert_no_server_error(report)
    assert_nothing_stale_past_the_bound(report)
    scenario.every_worker_serves_the_database()


def test_concurrent_admin_workflow_posts_answer_each_with_a_message_never_a_500(
    make_scenario: Callable[..., Scenario],
) -> None:
    scenario = make_scenario(workers=4, poll_threads=2, publish_every=None)
    assert scenario.server is not None
    users = ["editor", "reviewer", "reviewer2"]
    assert django_script(scenario.direct_url, _SET_PASSWORDS, args={
        "users": users, "password": PASSWORD,
    }) == len(users)  # fmt: skip
    sessions = {name: AdminSession(scenario.server.base_url) for name in users}
    for name, session in sessions.items():
        session.login(name, PASSWORD)
    item_id = int(scenario.cluster.psql(scenario.dbname, _ITEM_ID.format(PUBLISHED)))
    item_path = f"/admin/content/component/{item_id}/change/"
    # Start with a version in review, so that approvals have something to approve.
    for action in ("start_draft", "submit"):
        setup = concurrent_admin_posts(sessions, item_path, [("editor", action)], threads=1)
        assert setup[0].page_status == 200 and setup[0].messages, setup

    plan = (
        [("reviewer", "approve"), ("reviewer2", "approve")] * 35
        + [("editor", "start_draft")] * 25
        + [("editor", "submit"), ("reviewer", "publish")] * 10
    )
    outcomes = concurrent_admin_posts(sessions, item_path, plan, threads=24)
    scenario.record_publications_from_database()
    scenario.run(scenario.bound + 1)
    report = scenario.finish()
    print(report.summary(), Counter((o.action, o.status, o.messages[:1]) for o in outcomes))

    assert len(outcomes) == len(plan) == 115
    statuses = Counter(outcome.status for outcome in outcomes)
    assert statuses == {302: len(plan)}, statuses
    assert {outcome.page_status for outcome in outcomes} == {200}
    unanswered = [outcome for outcome in outcomes if len(outcome.messages) != 1]
    assert not unanswered, unanswered[:5]
    approved = [o for o in outcomes if o.action == "approve" and "You approved" in o.messages[0]]
    assert approved, Counter(outcome.messages[0] for outcome in outcomes)
    assert_no_server_error(report)
    assert_nothing_stale_past_the_bound(report)
    scenario.every_worker_serves_the_database()
