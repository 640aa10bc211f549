"""Translations as apps receive them: the locale asked for, or the fallback, saying why."""

import pytest

from tests import builders

pytestmark = pytest.mark.django_db


def _get(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content
    return response


def test_a_published_translation_is_served_in_its_locale_with_the_sources_structure(
    client, locales, publish, translate
):
    source = publish("legs-up", kind="yoga", caution=["pregnancy"])
    translate(source, "es")

    english = _get(client, "/api/v1/components/legs-up/").json()
    spanish = _get(client, "/api/v1/components/legs-up/?locale=es")

    assert spanish["Content-Language"] == "es"
    body = spanish.json()
    assert body["locale"] == "es" and "fallback_reason" not in body
    assert body["title"] == f"[es] {english['title']}"
    assert body["details"]["steps"] == [f"[es] {step}" for step in english["details"]["steps"]]
    assert body["details"]["level"] == english["details"]["level"]
    assert body["contraindications"][0]["note"] == "[es] Careful with pregnancy."
    assert body["contraindications"][0]["severity"] == "caution"
    assert english["locale"] == "en"


def test_an_untranslated_item_falls_back_along_the_chain_and_says_why(
    client, locales, publish, translate
):
    source = publish("legs-up")
    translate(source, "pt")

    brazilian = _get(client, "/api/v1/components/legs-up/?locale=pt-BR").json()
    assert brazilian["locale"] == "pt"
    assert brazilian["requested_locale"] == "pt-BR"
    assert brazilian["fallback_reason"] == "not-translated"
    spanish = _get(client, "/api/v1/components/legs-up/?locale=es").json()
    assert (spanish["locale"], spanish["fallback_reason"]) == ("en", "not-translated")


def test_an_outdated_translation_is_never_served(client, locales, people, publish, translate):
    editor, reviewer, second = people
    source = publish("legs-up", caution=["pregnancy"])
    translate(source, "es")
    builders.republished(
        source, editor, reviewer, second, summary="Now with a new caution about blood pressure."
    )

    spanish = _get(client, "/api/v1/components/legs-up/?locale=es").json()
    assert spanish["locale"] == "en"
    assert spanish["fallback_reason"] == "translation-outdated"
    assert spanish["summary"] == "Now with a new caution about blood pressure."
    assert "[es]" not in str(spanish)


def test_accept_language_chooses_by_quality_and_the_answer_varies_with_it(
    client, locales, publish, translate
):
    translate(publish("legs-up"), "es")

    chosen = _get(
        client,
        "/api/v1/components/legs-up/",
        HTTP_ACCEPT_LANGUAGE="fr;q=0.9, es-MX;q=0.8, en;q=0.5",
    )
    assert chosen.json()["locale"] == "es"
    assert chosen["Content-Language"] == "es"
    assert "Accept-Language" in chosen["Vary"]
    english = _get(client, "/api/v1/components/legs-up/", HTTP_ACCEPT_LANGUAGE="en, es;q=0.9")
    assert english.json()["locale"] == "en"
    assert english["ETag"] != chosen["ETag"]
    given = _get(client, "/api/v1/components/legs-up/?locale=es", HTTP_ACCEPT_LANGUAGE="en")
    assert given.json()["locale"] == "es"
    assert "Accept-Language" not in given["Vary"]


@pytest.mark.parametrize("value", ["fr", "es_ES", "x", "english"])
def test_an_unknown_or_malformed_locale_is_a_400_naming_it(client, locales, value):
    response = client.get(f"/api/v1/components/?locale={value}&kind=nope")
    assert response.status_code == 400
    problem = response.json()
    assert [error["parameter"] for error in problem["errors"]] == ["locale", "kind"]
    assert (
        value in problem["errors"][0]["detail"] or value.lower() in problem["errors"][0]["detail"]
    )


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/locales/",
        "/api/v1/goals/",
        "/api/v1/contraindications/",
        "/api/v1/components/legs-up/versions/",
        "/api/v1/sync/",
        "/api/v1/plans/",
    ],
)
def test_every_endpoint_refuses_an_unknown_locale(client, locales, publish, path):
    publish("legs-up")
    response = client.get(path, {"locale": "pt-PT"})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"parameter": "locale", "detail": "unknown locale 'pt-PT'; use one of en, es, pt, pt-BR."}
    ]


def test_the_locales_endpoint_lists_each_chain(client, locales):
    results = _get(client, "/api/v1/locales/").json()["results"]
    chains = {entry["code"]: entry["fallbacks"] for entry in results}
    assert chains == {"en": [], "es": ["en"], "pt": ["en"], "pt-BR": ["pt", "en"]}
    assert [entry["code"] for entry in results if entry["default"]] == ["en"]


def test_a_withdrawn_translation_falls_back_at_once(client, locales, people, publish, translate):
    from content import workflow

    translation = translate(publish("legs-up"), "es")
    assert _get(client, "/api/v1/components/legs-up/?locale=es").json()["locale"] == "es"
    workflow.withdraw(version=translation, user=people[1], reason="Mistranslated dose wording.")
    spanish = _get(client, "/api/v1/components/legs-up/?locale=es").json()
    assert (spanish["locale"], spanish["fallback_reason"]) == ("en", "not-translated")


@pytest.mark.parametrize(
    "header, chosen",
    [
        ("es", "es"),
        ("ES-mx", "es"),
        ("pt-BR", "pt-BR"),
        ("pt-PT", "pt"),
        ("fr, pt-BR;q=0.9, es;q=0.95", "es"),
        ("es;q=0.5, pt-BR;q=0.5", "es"),  # equal quality: the order sent
        ("es;q=0, pt", "pt"),  # q=0: not acceptable
        ("fr, de;q=0.8", "en"),  # nothing known: the default
        ("*", "en"),
        ("fr, *;q=0.5, es;q=0.1", "en"),
        ("", "en"),
        ("es;q=abc, pt", "pt"),  # a malformed quality leaves its range out
        (";;;,,,=", "en"),
        ("zh-Hant-TW, es;q=0.2", "es"),
    ],
)
def test_accept_language_is_matched_by_quality_then_by_prefix(locales, header, chosen):
    from content.delivery.locales import from_header
    from content.delivery.localising import locale_table

    assert from_header(header, locale_table()) == chosen
