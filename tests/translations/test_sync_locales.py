"""An offline app kept in sync in one locale: hypothesis plays a random sequence of
publications of sources and of translations, revisions that outdate translations,
withdrawals of translations and of sources, plans and their translations, and the app
switching locale. After each step the app syncs from its last token; its offline copy must
equal, item for item, what the list and detail endpoints serve in its locale."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.db import transaction
from django.test import Client
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
from tests import builders
from tests.factories import (
    EditorFactory,
    PlanContentFactory,
    ReviewerFactory,
    TranslatorFactory,
    VersionContentFactory,
    plan_item,
)

LOCALES = ["en", "es", "pt", "pt-BR"]
TRANSLATED = ["es", "pt", "pt-BR"]
TAKEN: set[str] = set()


class OfflineAppInALocale(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        freshness.restart_worker()
        self.client = Client()
        self.editor = EditorFactory()
        self.translator = TranslatorFactory()
        self.reviewers = [ReviewerFactory(), ReviewerFactory()]
        workflow.add_locale(user=self.reviewers[0], code="es", name="Español")
        workflow.add_locale(user=self.reviewers[0], code="pt", name="Português")
        workflow.add_locale(
            user=self.reviewers[0], code="pt-BR", name="Português (Brasil)", fallback="pt"
        )
        self.items: list[str] = []
        self.locale = "es"
        self.local: dict[tuple[str, str], dict] = {}
        self.token: str | None = None

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def _publish(self, draft: Version) -> Version:
        submitted = workflow.submit_for_review(version=draft, user=draft.created_by)
        approved = builders.approve_fully(submitted, *self.reviewers)
        return workflow.publish(version=approved, user=self.reviewers[0])

    def _live(self, slug: str) -> Version | None:
        return Version.objects.filter(item__slug=slug, state="published").first()

    @initialize(kinds=st.lists(st.sampled_from(Kind.values), min_size=2, max_size=3))
    def a_catalogue(self, kinds):
        for kind in kinds:
            self.publish_component(kind)

    @rule(kind=st.sampled_from(Kind.values))
    def publish_component(self, kind):
        slug = f"component-{len(self.items):02}"
        content = VersionContentFactory(kind=kind)
        self._publish(
            workflow.create_component(user=self.editor, kind=kind, slug=slug, content=content)
        )
        self.items.append(slug)
        TAKEN.add("publish")

    @precondition(lambda self: self.items)
    @rule(pick=st.integers(0, 50), locale=st.sampled_from(TRANSLATED))
    def translate(self, pick, locale):
        source = self._live(self.items[pick % len(self.items)])
        if source is None:
            return
        busy = Version.objects.filter(
            item__source=source.item, item__locale__code=locale, state__in=["draft", "in_review"]
        )
        if busy.exists():
            return
        builders.published_translation(source, locale, self.translator, *self.reviewers)
        TAKEN.add("translate plan" if source.item.kind == "plan" else "translate component")

    @precondition(lambda self: self.items)
    @rule(pick=st.integers(0, 50), summary=st.sampled_from(["A new caution.", "Dose changed."]))
    def revise_source(self, pick, summary):
        """A new source version: its translations are outdated."""
        source = self._live(self.items[pick % len(self.items)])
        if source is None or source.item.kind == "plan":  # (a plan's items may be gone)
            return
        draft = workflow.revise(version=source, user=self.editor)
        content = replace(workflow.read_content(draft), summary=summary)
        draft = workflow.edit_draft(
            version=draft, user=self.editor, content=content, expected_edit_count=draft.edit_count
        )
        self._publish(draft)
        TAKEN.add("outdate")

    @rule(pick=st.integers(0, 50))
    def withdraw_translation(self, pick):
        live = Version.objects.filter(item__source__isnull=False, state="published").order_by("pk")
        if live.exists():
            version = list(live)[pick % live.count()]
            workflow.withdraw(version=version, user=self.reviewers[1], reason="Mistranslated.")
            TAKEN.add("withdraw translation")

    @precondition(lambda self: self.items)
    @rule(pick=st.integers(0, 50))
    def withdraw_source(self, pick):
        source = self._live(self.items[pick % len(self.items)])
        if source is not None and source.item.kind != "plan":
            workflow.withdraw(version=source, user=self.reviewers[1], reason="Checking it.")
            TAKEN.add("withdraw source")

    @rule(picks=st.lists(st.integers(0, 50), min_size=1, max_size=3))
    def publish_plan(self, picks):
        live = sorted(
            Version.objects.filter(
                item__slug__in=self.items, item__kind__in=Kind.values, state="published"
            ).values_list("item__slug", flat=True)
        )
        chosen = list(dict.fromkeys(live[p % len(live)] for p in picks)) if live else []
        if not chosen:
            return
        slots = ["morning", "midday", "evening"]
        content = PlanContentFactory(
            items=[
                plan_item(slug, slots[n], n + 1, note=f"Item {n + 1}.")
                for n, slug in enumerate(chosen)
            ]
        )
        slug = f"plan-{len(self.items):02}"
        self._publish(workflow.create_plan(user=self.editor, slug=slug, content=content))
        self.items.append(slug)
        TAKEN.add("plan")

    @rule(locale=st.sampled_from(LOCALES))
    def switch_locale(self, locale):
        """The person changes the app's language: the app keeps its token, and the server
        answers an initial sync in the new locale with reset true."""
        if locale != self.locale:
            self.locale = locale
            self._page(expect_reset=self.token is not None)
            TAKEN.add("switch")

    def _page(self, expect_reset: bool = False) -> dict:
        params = {"locale": self.locale, "page_size": 3}
        if self.token:
            params["token"] = self.token
        response = self.client.get("/api/v1/sync/", params)
        assert response.status_code == 200, response.content
        assert response["Content-Language"] == self.locale
        body = response.json()
        assert body["reset"] is expect_reset
        if body["reset"]:
            self.local = {}
        for change in body["changes"]:
            key = (change["type"], change["slug"])
            if change["action"] == "upsert":
                self.local[key] = change["data"]
            else:
                self.local.pop(key, None)
        self.token = body["next_token"]
        return body

    def _served(self) -> dict[tuple[str, str], dict]:
        served = {}
        for type_ in ("component", "plan"):
            url = f"/api/v1/{type_}s/?page_size=3&locale={self.locale}"
            while url:
                page = self.client.get(url).json()
                served.update({(type_, item["slug"]): item for item in page["results"]})
                url = page["next"]
        for (type_, slug), listed in served.items():
            detail = self.client.get(f"/api/v1/{type_}s/{slug}/?locale={self.locale}").json()
            del detail["disclaimer"]
            assert detail == listed
            assert listed.get("requested_locale", listed["locale"]) == self.locale
        return served

    @invariant()
    def the_offline_copy_is_the_catalogue_in_the_apps_locale(self):
        while self._page()["has_more"]:
            pass
        assert self.local == self._served()


@pytest.mark.django_db
def test_an_offline_copy_in_a_locale_always_equals_the_catalogue_in_that_locale(settings):
    settings.DELIVERY_ANONYMOUS_RATE = "100000000/min"
    TAKEN.clear()
    run_state_machine_as_test(
        OfflineAppInALocale,
        settings=hypothesis_settings(
            max_examples=10,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    assert {
        "publish", "translate component", "outdate", "withdraw translation", "withdraw source",
        "plan", "switch",
    } <= TAKEN  # fmt: skip
