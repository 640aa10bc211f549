"""Structured safety data is the same in every locale: for random content and random
translations, what a component says besides its prose (kind, details' numbers and
enumerations, contraindications and their severities, interactions, evidence, citations,
review) is identical in every locale for the same source version; and a profile filters the
same items, with the same verdicts, in every locale."""

from __future__ import annotations

import copy

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content import workflow
from content.delivery import freshness
from content.kinds import EXAMPLE_DETAILS, Kind, translatable_fields
from content.workflow import LinkSpec
from tests import builders
from tests.factories import (
    ContraindicationFactory,
    EditorFactory,
    ReviewerFactory,
    TranslatorFactory,
    VersionContentFactory,
)

pytestmark = pytest.mark.django_db

PROSE = {"title", "summary", "body_markdown", "body_html", "locale", "requested_locale"}
PROSE |= {"fallback_reason", "disclaimer"}
CONTRAINDICATIONS = ["pregnancy", "ssri", "glaucoma", "hypertension"]
#: Any text a translator might write, in any script.
TEXT = st.text(
    st.characters(min_codepoint=32, max_codepoint=0x2FFF, exclude_categories=("Cs", "Cc")),
    min_size=1,
    max_size=40,
).filter(str.strip)


def structure(document: dict) -> dict:
    """``document`` without its prose: what must be the same in every locale."""
    kept = {key: value for key, value in document.items() if key not in PROSE}
    details = dict(kept.get("details", {}))
    for name in translatable_fields(document["kind"]):
        if isinstance(details.get(name), list):
            details[name] = len(details[name])  # as many entries in every locale
        elif name in details:
            details[name] = "text"
    kept["details"] = details
    kept["contraindications"] = [
        {"slug": c["slug"], "severity": c["severity"]} for c in kept["contraindications"]
    ]
    kept["interactions"] = [
        {"component": i["component"], "severity": i["severity"]} for i in kept["interactions"]
    ]
    return kept


@st.composite
def catalogue(draw):
    """Components of random kinds, with random links, and which locales translate which."""
    components = []
    for n in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(Kind.values))
        links = draw(
            st.lists(
                st.tuples(
                    st.sampled_from(CONTRAINDICATIONS), st.sampled_from(["avoid", "caution"])
                ),
                unique_by=lambda link: link[0],
                max_size=3,
            )
        )
        locales = draw(st.sets(st.sampled_from(["es", "pt", "pt-BR"])))
        components.append((f"item-{n}", kind, links, locales, draw(TEXT)))
    return components


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(components=catalogue(), profile=st.sets(st.sampled_from(CONTRAINDICATIONS), min_size=1))
def test_structure_and_personalisation_are_the_same_in_every_locale(components, profile):
    with transaction.atomic():
        freshness.restart_worker()
        editor, translator = EditorFactory(), TranslatorFactory()
        reviewers = [ReviewerFactory(), ReviewerFactory()]
        for slug in CONTRAINDICATIONS:
            ContraindicationFactory(slug=slug)
        workflow.add_locale(user=reviewers[0], code="es", name="Español")
        workflow.add_locale(user=reviewers[0], code="pt", name="Português")
        workflow.add_locale(user=reviewers[0], code="pt-BR", name="Brasil", fallback="pt")
        for slug, kind, links, locales, text in components:
            content = VersionContentFactory(
                kind=kind,
                details=copy.deepcopy(EXAMPLE_DETAILS[kind]),
                contraindications=tuple(
                    LinkSpec(c, severity, f"Note on {c}.") for c, severity in links
                ),
            )
            source = builders.published(editor, *reviewers, slug=slug, kind=kind, **vars(content))
            for locale in sorted(locales):
                builders.published_translation(
                    source, locale, translator, *reviewers, title=f"{text} ({locale})"
                )

        client = Client()
        query = ",".join(sorted(profile))
        answers = {}
        for locale in ["en", "es", "pt", "pt-BR"]:
            listed = client.get(f"/api/v1/components/?page_size=100&locale={locale}").json()
            personal = client.get(
                f"/api/v1/components/?page_size=100&locale={locale}&profile={query}"
            ).json()
            answers[locale] = (
                {item["slug"]: structure(item) for item in listed["results"]},
                [(item["slug"], item["suitability"]["status"]) for item in personal["results"]],
                {
                    item["slug"]: [
                        (reason["contraindication"], reason["severity"])
                        for reason in item["suitability"]["reasons"]
                    ]
                    for item in personal["results"]
                },
            )
            for slug, _, _, locales, text in components:
                served = next(i for i in listed["results"] if i["slug"] == slug)
                chain = {"en": [], "es": ["es"], "pt": ["pt"], "pt-BR": ["pt-BR", "pt"]}[locale]
                prose = next((code for code in chain if code in locales), "en")
                assert served["locale"] == prose
                if prose != "en":
                    assert served["title"] == f"{text} ({prose})"
        assert answers["es"] == answers["en"]
        assert answers["pt"] == answers["en"]
        assert answers["pt-BR"] == answers["en"]
        transaction.set_rollback(True)
