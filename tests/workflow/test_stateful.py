"""A model-based test: random editors and reviewers take random workflow actions, and after
every step the rules of docs/design.md must still hold."""

from __future__ import annotations

import json
from collections import defaultdict
from contextlib import suppress
from dataclasses import replace
from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from content import workflow
from content.errors import DomainError, PermissionRefused, StaleEdit
from content.kinds import Kind
from content.models import (
    WORKING_STATES,
    Approval,
    AuditEntry,
    ContentItem,
    Version,
    VersionState,
)
from content.workflow.snapshot import canonical_payload
from tests.factories import (
    EditorFactory,
    ReviewerFactory,
    SuperuserFactory,
    UserFactory,
    VersionContentFactory,
)

#: Two of the people can both write and review (an editor who is also a reviewer, and a
#: superuser), so that the four-eyes rule is tried often.
USERS = ["editor_a", "reviewer_a", "reviewer_b", "reviewer_c", "hybrid", "root"]
WRITERS = ["editor_a", "hybrid", "root"]
#: True about one time in five.
RARELY = st.integers(0, 4).map(lambda n: n == 0)
#: Every state the machine's runs have seen, so the test can show it explored them all.
REACHED: set[str] = set()
AUDIT_FIELDS = (
    "id",
    "actor_id",
    "action",
    "version_id",
    "content_hash",
    "comment",
    "from_state",
    "to_state",
)


class WorkflowMachine(RuleBasedStateMachine):
    items = Bundle("items")

    def __init__(self):
        super().__init__()
        # Each run happens inside a transaction that is rolled back at teardown.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.users = {
            "editor_a": EditorFactory(),
            "reviewer_a": ReviewerFactory(),
            "reviewer_b": ReviewerFactory(),
            "reviewer_c": ReviewerFactory(),
            "hybrid": UserFactory(groups=["Editors", "Reviewers"]),
            "root": SuperuserFactory(),
        }
        self.slugs = 0
        self.frozen: dict[int, tuple[str, str]] = {}  # version id -> (payload, hash) at submit
        self.wrote: dict[int, set[int]] = defaultdict(set)  # version id -> who wrote it
        self.audit: list[tuple] = []
        self.first_slugs: dict[int, str] = {}  # item id -> its slug before it was discarded

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # --- helpers ------------------------------------------------------------------------

    def version_of(self, item_id: int, pick: int) -> Version:
        versions = list(Version.objects.filter(item_id=item_id).order_by("number"))
        return versions[pick % len(versions)]

    def latest(self, item_id: int) -> Version:
        return Version.objects.filter(item_id=item_id).order_by("-number").first()

    def payload(self, version: Version) -> str:
        content = workflow.read_content(version)
        payload = canonical_payload(version, content)
        # A discarded item's slug is renamed to free it; what its versions said is not.
        payload["slug"] = self.first_slugs.get(version.item_id, payload["slug"])
        return json.dumps(payload, sort_keys=True)

    # --- rules --------------------------------------------------------------------------

    @initialize(
        target=items,
        user=st.sampled_from(WRITERS),
        kind=st.sampled_from([Kind.YOGA, Kind.SUPPLEMENT]),
    )
    def first_item(self, user, kind):
        return self.create(user=user, kind=kind)

    @rule(target=items, user=st.sampled_from(USERS), kind=st.sampled_from(Kind.values))
    def create(self, user, kind):
        self.slugs += 1
        actor = self.users[user]
        try:
            version = workflow.create_component(
                user=actor,
                kind=kind,
                slug=f"item-{self.slugs}",
                content=VersionContentFactory(kind=kind),
            )
        except PermissionRefused:
            assert not actor.has_perm("content.add_version")
            return ContentItem.objects.first().pk if ContentItem.objects.exists() else None
        self.wrote[version.pk].add(actor.pk)
        return version.item_id

    @rule(item=items, user=st.sampled_from(USERS), stale=RARELY, title=st.text(min_size=1))
    def edit(self, item, user, stale, title):
        if item is None:
            return
        version = self.latest(item)
        actor = self.users[user]
        expected = version.edit_count - 1 if stale else version.edit_count
        content = replace(workflow.read_content(version), title=title.strip()[:200] or "T")
        try:
            workflow.edit_draft(
                version=version, user=actor, content=content, expected_edit_count=expected
            )
        except StaleEdit:
            assert stale
        except DomainError:
            pass
        else:
            assert not stale, "a stale edit was accepted"
            self.wrote[version.pk].add(actor.pk)

    @rule(item=items, user=st.sampled_from(USERS))
    def submit(self, item, user):
        if item is None:
            return
        version = self.latest(item)
        try:
            version = workflow.submit_for_review(version=version, user=self.users[user])
        except DomainError:
            return
        self.frozen[version.pk] = (self.payload(version), version.content_hash)

    @rule(item=items, user=st.sampled_from(USERS), wrong_hash=RARELY)
    def approve(self, item, user, wrong_hash):
        if item is None:
            return
        version = self.latest(item)
        actor = self.users[user]
        seen = "0" * 64 if wrong_hash else version.content_hash
        try:
            workflow.approve(version=version, user=actor, seen_hash=seen)
        except DomainError:
            return
        assert actor.pk not in self.wrote[version.pk], "an author approved their own version"
        assert not wrong_hash, "an approval of unseen content was accepted"

    @rule(item=items)
    def advance(self, item):
        """Someone entitled to it takes the next step, so that runs reach the later states."""
        if item is None:
            return
        version = self.latest(item)
        reviewers = [
            self.users[name]
            for name in ("reviewer_a", "reviewer_b", "reviewer_c")
            if self.users[name].pk not in self.wrote[version.pk]
        ]
        if version.state == "draft":
            self.submit(item, "editor_a")
        elif version.state == "in_review":
            for reviewer in reviewers:
                if not Approval.objects.filter(version=version, reviewer=reviewer).exists():
                    workflow.approve(version=version, user=reviewer, seen_hash=version.content_hash)
                    break
        elif version.state == "approved":
            workflow.publish(version=version, user=reviewers[0])
        elif version.state == "published":
            self.wrote[workflow.revise(version=version, user=self.users["editor_a"]).pk].add(
                self.users["editor_a"].pk
            )

    @rule(item=items, user=st.sampled_from(USERS))
    def request_changes(self, item, user):
        if item is None:
            return
        version = self.latest(item)
        actor = self.users[user]
        try:
            workflow.request_changes(version=version, user=actor, comment="Please fix.")
        except DomainError:
            return
        assert actor.pk not in self.wrote[version.pk]

    @rule(item=items, user=st.sampled_from(USERS))
    def publish(self, item, user):
        if item is None:
            return
        with suppress(DomainError):
            workflow.publish(version=self.latest(item), user=self.users[user])

    @rule(item=items, user=st.sampled_from(USERS), minutes=st.integers(1, 120))
    def schedule_and_run_due(self, item, user, minutes):
        if item is None:
            return
        at = timezone.now() + timedelta(minutes=minutes)
        try:
            workflow.schedule_publication(version=self.latest(item), user=self.users[user], at=at)
        except DomainError:
            return
        workflow.publish_due(now=at + timedelta(seconds=1))

    @rule(item=items, user=st.sampled_from(USERS))
    def withdraw(self, item, user):
        if item is None:
            return
        live = Version.objects.filter(item_id=item, state="published").first()
        with suppress(DomainError):
            workflow.withdraw(version=live or self.latest(item), user=self.users[user], reason="R")

    @rule(item=items, user=st.sampled_from(USERS), pick=st.integers(0, 20), back=st.booleans())
    def revise_or_roll_back(self, item, user, pick, back):
        if item is None:
            return
        source = self.version_of(item, pick)
        action = workflow.roll_back if back else workflow.revise
        try:
            draft = action(version=source, user=self.users[user])
        except DomainError:
            return
        self.wrote[draft.pk].add(self.users[user].pk)

    @rule(item=items, user=st.sampled_from(USERS), now=st.integers(0, 3))
    def discard(self, item, user, now):
        # Discarding now and then, not at every turn: it ends the states the rules must
        # also be checked in (changes requested, above all).
        if item is None or now:
            return
        version = self.latest(item)
        actor = self.users[user]
        slug = ContentItem.objects.get(pk=item).slug
        published = Version.objects.filter(item_id=item, published_at__isnull=False).exists()
        try:
            workflow.discard(version=version, user=actor)
        except DomainError:
            return
        assert version.state in ("draft", "changes_requested"), "a submitted version was discarded"
        assert actor.has_perm("content.review_version") or actor.pk in self.wrote[version.pk]
        renamed = ContentItem.objects.get(pk=item)
        if published:
            assert (renamed.slug, renamed.discarded_at) == (slug, None), "published slug freed"
        elif renamed.discarded_at is not None:
            self.first_slugs[item] = slug

    # --- invariants ---------------------------------------------------------------------

    @invariant()
    def at_most_one_published_and_one_working_version_per_item(self):
        for states in (["published"], WORKING_STATES):
            crowded = (
                Version.objects.filter(state__in=states)
                .values("item")
                .annotate(n=Count("id"))
                .filter(n__gt=1)
            )
            assert not crowded.exists(), f"more than one {states} version of an item"

    @invariant()
    def published_is_exactly_what_enough_reviewers_approved(self):
        for version in Version.objects.filter(state="published").select_related("item"):
            assert version.content_hash == workflow.content_hash(version)
            approvals = Approval.objects.filter(version=version)
            assert all(a.content_hash == version.content_hash for a in approvals)
            authors = workflow.authors_of(version)
            reviewers = {a.reviewer_id for a in approvals} - authors
            needed = workflow.review_policy(version.item.kind).approvals_required
            assert len(reviewers) >= needed

    @invariant()
    def no_version_approved_by_its_author(self):
        for approval in Approval.objects.all():
            assert approval.reviewer_id not in self.wrote[approval.version_id]
            assert approval.reviewer_id not in workflow.authors_of(approval.version)

    @invariant()
    def no_frozen_version_ever_changed(self):
        for pk, (payload, content_hash) in self.frozen.items():
            version = Version.objects.select_related("item").get(pk=pk)
            assert version.state != "draft"
            assert version.content_hash == content_hash
            assert self.payload(version) == payload

    @invariant()
    def audit_log_only_grows_and_replays_to_the_current_states(self):
        entries = list(AuditEntry.objects.order_by("id").values_list(*AUDIT_FIELDS))
        assert entries[: len(self.audit)] == self.audit, "an audit entry changed or vanished"
        self.audit = entries
        replayed: dict[int, str] = {}
        for _, _, _, version_id, _, _, from_state, to_state in entries:
            assert from_state == replayed.get(version_id, ""), "audit entries do not chain"
            replayed[version_id] = to_state
        current = dict(Version.objects.values_list("id", "state"))
        assert replayed == current
        REACHED.update(current.values())


@pytest.mark.django_db
def test_random_actions_by_random_people_never_break_the_rules():
    REACHED.clear()
    run_state_machine_as_test(
        WorkflowMachine,
        settings=settings(
            max_examples=80,
            stateful_step_count=40,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    # The rules were checked against every state, not only against drafts.
    assert {state.value for state in VersionState} - REACHED == set()
