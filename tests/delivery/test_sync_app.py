"""A mobile app kept in sync: hypothesis plays a long random sequence of publications,
revisions, roll-backs, scheduled publications, withdrawals and plan changes. After each
step the app syncs from its last token, applies the changes to its offline copy, and the
copy must equal, item for item, what the list and detail endpoints serve at that moment.
Sometimes the app is interrupted between two pages of a sync while the content changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from content import workflow
from content.delivery import freshness
from content.kinds import Kind
from content.models import Version
from content.workflow import InteractionSpec, PlanContent
from tests import builders
from tests.factories import (
    EditorFactory,
    PlanContentFactory,
    ReviewerFactory,
    VersionContentFactory,
    plan_item,
)

SLOTS = ["morning", "midday", "evening", "bedtime", "anytime"]
TITLES = st.text(
    st.characters(min_codepoint=32, max_codepoint=0x2FFF, exclude_categories=("Cs",)),
    min_size=1,
    max_size=30,
)
#: True about one time in five.
RARELY = st.integers(0, 4).map(lambda n: n == 0)
#: What the runs did, so that the test can show every kind of step was taken.
TAKEN: set[str] = set()


class OfflineApp(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()  # rolled back at teardown
        self._atomic.__enter__()
        # Each run starts again from the same generation: forget the last run's answers.
        freshness.restart_worker()
        self.client = Client()
        self.editor = EditorFactory()
        self.reviewers = [ReviewerFactory(), ReviewerFactory()]
        self.components: list[str] = []
        self.plans: list[str] = []
        self.local: dict[tuple[str, str], dict] = {}  # the app's offline copy
        self.token: str | None = None  # the last next_token the app received
        self.page_size = 3
        self.interrupted = False
        self._resume = False

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # --- the workflow, as editors and reviewers use it ---------------------------------

    def _through_review(self, draft: Version, *, scheduled: bool = False) -> Version:
        submitted = workflow.submit_for_review(version=draft, user=self.editor)
        approved = builders.approve_fully(submitted, *self.reviewers)
        if not scheduled:
            return workflow.publish(version=approved, user=self.reviewers[0])
        at = timezone.now() + timedelta(minutes=5)
        workflow.schedule_publication(version=approved, user=self.reviewers[0], at=at)
        (published,), refused = workflow.publish_due(now=at + timedelta(seconds=1))
        assert refused == []
        return published

    def _newest(self, slug: str) -> Version:
        return Version.objects.filter(item__slug=slug).order_by("-number").first()

    def _live_components(self) -> list[str]:
        live = Version.objects.filter(item__slug__in=self.components, state="published")
        return sorted(live.values_list("item__slug", flat=True))

    def _plan_content(self, picks: list[int], title: str) -> PlanContent | None:
        live = self._live_components()
        chosen = list(dict.fromkeys(live[p % len(live)] for p in picks)) if live else []
        if not chosen:
            return None
        # One slot per item: a 'separate' interaction never puts two items in one slot.
        return PlanContentFactory(
            title=title,
            duration_weeks=4,
            items=[
                plan_item(slug, SLOTS[n], n + 1, weeks=(1, 4), note=f"Item {n + 1}.")
                for n, slug in enumerate(chosen[: len(SLOTS)])
            ],
        )

    @initialize(kinds=st.lists(st.sampled_from(Kind.values), min_size=2, max_size=4))
    def a_catalogue_to_start_with(self, kinds):
        for kind in kinds:
            self.publish_component(kind, names=None, scheduled=False, stays_a_draft=False)
        self.publish_plan(picks=list(range(len(kinds))))

    @rule(
        kind=st.sampled_from(Kind.values),
        names=st.one_of(st.none(), st.integers(0, 50)),
        scheduled=st.booleans(),
        stays_a_draft=RARELY,
    )
    def publish_component(self, kind, names, scheduled, stays_a_draft):
        slug = f"component-{len(self.components):02}"
        interactions = ()
        if names is not None and self.components:
            other = self.components[names % len(self.components)]
            interactions = (InteractionSpec(other, "separate", f"Not with {other}."),)
        content = VersionContentFactory(kind=kind, interactions=interactions)
        draft = workflow.create_component(user=self.editor, kind=kind, slug=slug, content=content)
        self.components.append(slug)
        if stays_a_draft:  # for a while, and others can name it
            TAKEN.add("draft")
            return
        self._through_review(draft, scheduled=scheduled)
        TAKEN.add("schedule" if scheduled else "publish")

    @precondition(lambda self: self.components)
    @rule(pick=st.integers(0, 50), title=TITLES, back=st.booleans())
    def revise_component(self, pick, title, back):
        if not self.components:
            return
        slug = self.components[pick % len(self.components)]
        newest = self._newest(slug)
        if newest.state == "draft":
            draft = newest
        else:
            earlier = Version.objects.filter(item__slug=slug, published_at__isnull=False)
            source = earlier.order_by("number").first() if back else newest
            if source is None:
                return
            action = workflow.roll_back if back else workflow.revise
            draft = action(version=source, user=self.editor)
            TAKEN.add("roll_back" if back else "revise")
        content = replace(workflow.read_content(draft), title=title.strip() or "Untitled")
        draft = workflow.edit_draft(
            version=draft, user=self.editor, content=content, expected_edit_count=draft.edit_count
        )
        self._through_review(draft)

    @precondition(lambda self: self._live_components())
    @rule(pick=st.integers(0, 50))
    def withdraw_component(self, pick):
        live = self._live_components()
        if live:
            version = Version.objects.get(item__slug=live[pick % len(live)], state="published")
            workflow.withdraw(version=version, user=self.reviewers[1], reason="Checking it.")
            TAKEN.add("withdraw")

    @precondition(lambda self: self._live_components())
    @rule(picks=st.lists(st.integers(0, 50), min_size=1, max_size=5))
    def publish_plan(self, picks):
        content = self._plan_content(picks, "A new plan")
        if content is None:
            return
        slug = f"plan-{len(self.plans):02}"
        self._through_review(workflow.create_plan(user=self.editor, slug=slug, content=content))
        self.plans.append(slug)
        TAKEN.add("plan")

    @precondition(lambda self: self.plans and self._live_components())
    @rule(pick=st.integers(0, 50), picks=st.lists(st.integers(0, 50), min_size=1, max_size=5))
    def change_plan(self, pick, picks):
        content = self._plan_content(picks, "A changed plan")
        if content is None or not self.plans:
            return
        newest = self._newest(self.plans[pick % len(self.plans)])
        draft = workflow.revise(version=newest, user=self.editor)
        draft = workflow.edit_draft(
            version=draft, user=self.editor, content=content, expected_edit_count=draft.edit_count
        )
        self._through_review(draft)
        TAKEN.add("change_plan")

    @precondition(lambda self: self.plans)
    @rule(pick=st.integers(0, 50))
    def withdraw_plan(self, pick):
        live = Version.objects.filter(item__slug__in=self.plans, state="published")
        if live.exists():
            version = list(live.order_by("item__slug"))[pick % live.count()]
            workflow.withdraw(version=version, user=self.reviewers[0], reason="Rethinking.")
            TAKEN.add("withdraw_plan")

    # --- the app ------------------------------------------------------------------------

    @rule(page_size=st.integers(1, 4))
    def change_page_size(self, page_size):
        self.page_size = page_size

    @rule(page_size=st.integers(1, 2), reinstalled=st.booleans())
    def interrupt_a_sync(self, page_size, reinstalled):
        """Fetch one page only; the next step changes content before the app goes on. A
        reinstalled app starts again with an empty copy and an initial sync."""
        if reinstalled:
            self.local, self.token = {}, None
        self.page_size = page_size
        if self._page()["has_more"]:
            self.interrupted = True
            TAKEN.add("interrupted")

    def _page(self) -> dict:
        params = {"page_size": self.page_size, **({"token": self.token} if self.token else {})}
        response = self.client.get("/api/v1/sync/", params)
        assert response.status_code == 200, response.content
        body = response.json()
        seen = set()
        for change in body["changes"]:
            key = (change["type"], change["slug"])
            assert key not in seen, f"{key} twice in one page"
            seen.add(key)
            if change["action"] == "upsert":
                self.local[key] = change["data"]
            else:
                assert change["action"] == "delete" and set(change) == {"type", "slug", "action"}
                self.local.pop(key, None)
        self.token = body["next_token"]
        return body

    def _sync(self) -> None:
        """Call until has_more is false, as API.md tells apps to, checking that each item
        comes at most once in the whole sync."""
        while self._page()["has_more"]:
            pass

    def _served(self) -> dict[tuple[str, str], dict]:
        served = {}
        for type_ in ("component", "plan"):
            url = f"/api/v1/{type_}s/?page_size=2"
            while url:
                page = self.client.get(url).json()
                served.update({(type_, item["slug"]): item for item in page["results"]})
                url = page["next"]
        for (type_, slug), listed in served.items():
            detail = self.client.get(f"/api/v1/{type_}s/{slug}/").json()
            del detail["disclaimer"]
            assert detail == listed, f"the list and the detail of {slug} differ"
        return served

    @invariant()
    def the_offline_copy_is_what_the_api_serves(self):
        if self.interrupted and not self._resume:
            self._resume = True  # let the next step change content in the middle
            return
        self._sync()
        if self._resume:
            # What changed while the interrupted sync was under way comes with the next one.
            self._resume = self.interrupted = False
            self._sync()
        assert self.local == self._served()


@pytest.mark.django_db
def test_an_offline_copy_kept_by_delta_sync_always_equals_what_the_api_serves(settings):
    settings.DELIVERY_ANONYMOUS_RATE = "100000000/min"  # the app calls far more than a person
    TAKEN.clear()
    run_state_machine_as_test(
        OfflineApp,
        settings=hypothesis_settings(
            max_examples=25,
            stateful_step_count=40,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    assert {
        "publish", "schedule", "draft", "revise", "roll_back", "withdraw", "plan",
        "change_plan", "withdraw_plan", "interrupted",
    } <= TAKEN  # fmt: skip
