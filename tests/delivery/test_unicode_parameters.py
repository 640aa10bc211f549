"""Whatever text or bytes a query parameter carries, a delivery endpoint answers 200 or 400
(a problem naming the parameter), never 500.

Hypothesis sends every query parameter that the served OpenAPI document lists for each
operation (so a parameter added later is covered without touching this module) arbitrary
text, surrogates, control characters and combining marks included, and arbitrary bytes
(invalid UTF-8 too), percent-encoded into the raw query string, once or repeated, with
published content in the database and real slugs in the path.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content import workflow
from content.models import Version
from content.workflow.previews import make_preview_link
from tests.factories import ContraindicationFactory, GoalFactory
from tests.openapi import DELIVERY_PATHS, assert_conforms, served_openapi

pytestmark = pytest.mark.django_db

#: Every delivery operation, as the served document names its path.
OPERATIONS = DELIVERY_PATHS
EXAMPLES_PER_PARAMETER = 40
#: A parameter no endpoint takes: ignored, whatever its value.
UNKNOWN = "not-a-parameter"
PLAN, COMPONENT = "sleep-reset", "glycine-bedtime"

#: Characters that trip parsers: NUL and other controls, digits other than ASCII ones, case
#: mappings into ASCII (the Kelvin sign, the dotted capital I), a combining mark, the
#: replacement character, lone surrogates, a byte order mark, a non-breaking space.
TRICKY = "\x00\t\n\x1f\x7f\x85\xb2\u0661\u212a\u0130\u0301\ufffd\ud800\udfff\ufeff\xa0"
#: Any text at all: every code point, lone surrogates included (sent as 'surrogatepass' UTF-8),
#: the tricky characters more often than among all of unicode.
ANY_TEXT = st.text(st.characters(codec=None) | st.sampled_from(TRICKY), max_size=24)
#: Any bytes, so that invalid UTF-8 (lone continuation bytes, truncated sequences) is sent too.
ANY_BYTES = st.binary(max_size=24)
#: Long values: a short piece repeated up to a few thousand times.
LONG = st.builds(
    lambda piece, times: piece * times,
    st.sampled_from([b"1", b"a,", b"\xc2\xb2", b"\x00", b" "]),
    st.integers(100, 5000),
)


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


#: Each tricky character, and bytes that are not UTF-8: a lone continuation byte, a truncated
#: sequence, a byte never used, an over-long encoding of "/".
TRICKY_PIECES = [*map(_utf8, TRICKY), b"\x80", b"\xc3", b"\xff", b"\xc0\xaf"]


def tricky_values(valid: list[str]) -> list[list[bytes]]:
    """Every tricky piece alone, after and inside a valid value (to get past the first checks)."""
    value = _utf8(valid[0]) if valid else b""
    return [
        [variant]
        for piece in TRICKY_PIECES
        for variant in (piece, value + piece, value[:2] + piece + value[2:])
    ]


def _spliced(valid: list[str]) -> st.SearchStrategy[bytes]:
    """A value the API accepts with arbitrary text put into it, to get past the first checks."""
    return st.builds(
        lambda value, text, at: _utf8(value[:at] + text + value[at:]),
        st.sampled_from(valid),
        ANY_TEXT,
        st.integers(0, 40),
    )


def values_for(valid: list[str]) -> st.SearchStrategy[list[bytes]]:
    """Values of arbitrary text or bytes: mostly one, sometimes the parameter is repeated."""
    one = st.one_of(
        ANY_TEXT.map(_utf8),
        ANY_BYTES,
        LONG,
        *([st.sampled_from(valid).map(_utf8), _spliced(valid)] if valid else []),
    )
    return st.sampled_from([1, 1, 1, 1, 2, 3]).flatmap(
        lambda n: st.lists(one, min_size=n, max_size=n)
    )


def query_string(name: str, values: list[bytes]) -> str:
    return "&".join(f"{quote(name)}={quote(value, safe='')}" for value in values)


@pytest.fixture
def content(publish, publish_plan, settings):
    """Published content like the demo's; anonymous reads at a rate no test reaches."""
    settings.DELIVERY_ANONYMOUS_RATE = "100000000/min"
    publish(COMPONENT, kind="supplement", goals=["sleep"], avoid=["ssri"], caution=["pregnancy"])
    publish("legs-up-the-wall", kind="yoga", goals=["sleep"], caution=["glaucoma"])
    publish("kapalabhati", kind="pranayama", goals=["stress"], avoid=["pregnancy"])
    publish_plan(PLAN, [(COMPONENT, "bedtime"), ("legs-up-the-wall", "evening")], goals=["sleep"])


def preview_token() -> str:
    """The token of a preview link to a new draft of the component."""
    live = Version.objects.get(item__slug=COMPONENT, state="published")
    draft = workflow.revise(version=live, user=live.created_by)
    return make_preview_link(user=live.created_by, version=draft)[1]


def valid_values(client) -> dict[str, list[str]]:
    """Values each parameter accepts today, some as apps may send them, with a cursor and a
    token this server issued."""
    next_link = client.get("/api/v1/components/?page_size=1").json()["next"]
    token = client.get("/api/v1/sync/?page_size=1").json()["next_token"]
    return {
        "kind": ["yoga", "supplement"],
        "goal": ["sleep", " Stress "],
        "q": ["glycine", "legs wall"],
        "profile": ["pregnancy", " SSRI ,glaucoma", ""],
        "page_size": ["1", "100", "007"],
        "cursor": parse_qs(urlsplit(next_link).query)["cursor"],
        "token": [token],
        "locale": ["en", " EN "],
    }


def query_parameters(openapi: dict, path: str) -> list[str]:
    operation = openapi["paths"][path]["get"]
    return [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]


def assert_answered(openapi: dict, response, parameter: str) -> None:
    """A 200 with a JSON object, or a 400 problem naming ``parameter`` and nothing else."""
    query = response.wsgi_request.META["QUERY_STRING"]
    assert response.status_code in (200, 400), f"{query[:200]}: {response.content[:500]}"
    body = json.loads(response.content)
    assert isinstance(body, dict)
    if response.status_code == 200:
        assert response["Content-Type"] == "application/json"
        return
    assert response["Content-Type"] == "application/problem+json"
    assert_conforms(openapi, "Problem", body)
    assert body["status"] == 400
    assert {error["parameter"] for error in body["errors"]} == {parameter}, body


def test_every_delivery_operation_is_covered(client, content):
    served = {path for path in served_openapi(client)["paths"] if path.startswith("/api/v1/")}
    assert served == set(OPERATIONS), "add the new operation to OPERATIONS"


@pytest.mark.parametrize("path", OPERATIONS)
def test_any_value_of_any_parameter_is_answered_200_or_400(client, content, path):
    openapi = served_openapi(client)
    slug = PLAN if path.startswith("/api/v1/plans/") else COMPONENT
    base = path.format(slug=slug, number=1, token=preview_token() if "{token}" in path else "")
    assert client.get(base).status_code == 200
    valid = valid_values(client)
    parameters = query_parameters(openapi, path)
    answered: dict[str, set[int]] = {}

    def check(name: str, values: list[bytes]) -> None:
        response = client.get(f"{base}?{query_string(name, values)}")
        answered.setdefault(name, set()).add(response.status_code)
        if name in parameters:
            assert_answered(openapi, response, name)
        else:  # docs/api.md: unknown query parameters are ignored
            assert response.status_code == 200, response.content[:500]

    def fuzz(name: str) -> None:
        for values in tricky_values(valid.get(name, [])):
            check(name, values)

        @settings(
            max_examples=EXAMPLES_PER_PARAMETER,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(values=values_for(valid.get(name, [])))
        def any_values(values: list[bytes]) -> None:
            check(name, values)

        any_values()

    failures = {}
    for name in [*parameters, UNKNOWN]:
        try:
            fuzz(name)
        except Exception as failure:  # go on: report every parameter's falsifying example
            failure.add_note(f"query parameter: {name}")
            failures[name] = failure
    if failures:
        raise ExceptionGroup(f"{path}: {', '.join(failures)}", list(failures.values()))
    # The fuzzing got past the refusals to the content, and every parameter refused something.
    never_refused = [name for name in parameters if 400 not in answered[name]]
    never_answered = [name for name in parameters if name in valid and 200 not in answered[name]]
    assert (never_refused, never_answered) == ([], [])


# The values that were answered with a 500, and their neighbours: each is a 400 naming the
# parameter, on every endpoint that takes it.
LISTS = ["/api/v1/components/", "/api/v1/plans/"]
DETAILS = [f"/api/v1/components/{COMPONENT}/", f"/api/v1/components/{COMPONENT}/versions/1/"]
DETAILS += [f"/api/v1/plans/{PLAN}/"]
SYNC = ["/api/v1/sync/"]
REFUSED = [
    *[(path, "q", "gly%00cine") for path in LISTS],  # a NUL reached PostgreSQL
    *[(path, "q", "gly%1Fcine") for path in LISTS],
    *[(path, "q", "gly%FFcine") for path in LISTS],  # not UTF-8
    *[(path, "q", "%ED%A0%80") for path in LISTS],  # a surrogate
    *[(path, "page_size", "%C2%B2") for path in LISTS + SYNC],  # "²".isdigit(), int() fails
    *[(path, "page_size", "%D9%A1%D9%A2") for path in LISTS + SYNC],  # Arabic-Indic "12"
    *[(path, "page_size", "1" * 5000) for path in LISTS + SYNC],  # more digits than int() takes
    *[(path, "page_size", "5%0A") for path in LISTS + SYNC],
    *[(path, "kind", "yoga%00") for path in LISTS[:1]],
    *[(path, "goal", "sleep%00") for path in LISTS],
    *[(path, "goal", "%E2%80%8Bsleep") for path in LISTS],
    *[(path, "cursor", "%00") for path in LISTS],
    *[(path, "cursor", "%80") for path in LISTS],  # a lone continuation byte
    *[(path, "token", "%00") for path in SYNC],
    *[(path, "token", "%ED%A0%80") for path in SYNC],
    *[(path, "profile", "pregnancy%00") for path in LISTS + DETAILS],
    *[(path, "profile", "%09pregnancy") for path in LISTS + DETAILS],
    *[(path, "profile", "%ED%A0%80") for path in LISTS + DETAILS],
    *[(path, "profile", "glaucoma%CC%81") for path in LISTS + DETAILS],  # a combining mark
]


@pytest.mark.parametrize("path", LISTS + DETAILS + SYNC)
def test_values_that_once_failed_are_400s_naming_their_parameter(client, content, path):
    openapi = served_openapi(client)
    for parameter, value in ((n, v) for p, n, v in REFUSED if p == path):
        response = client.get(f"{path}?{parameter}={value}")
        assert response.status_code == 400, f"{parameter}={value[:24]}: {response.content[:300]}"
        assert_answered(openapi, response, parameter)


@pytest.mark.parametrize("path", LISTS + DETAILS)
def test_slugs_are_matched_as_ascii_only(client, content, path):
    # "\u212a".lower() is an ASCII "k" (the Kelvin sign), "\u0130".lower() is "i" and a mark.
    ContraindicationFactory(slug="kidney-disease")
    GoalFactory(slug="insomnia")
    assert client.get(f"{path}?profile=KIDNEY-disease").status_code == 200
    response = client.get(f"{path}?profile=%E2%84%AAIDNEY-disease")
    assert response.status_code == 400
    assert response.json()["unknown_contraindications"] == ["\u212aidney-disease"]
    if path in LISTS:
        assert client.get(f"{path}?goal=INSOMNIA").status_code == 200
        assert client.get(f"{path}?goal=%C4%B0NSOMNIA").status_code == 400


@pytest.mark.parametrize(
    ("value", "detail"),
    [
        ("gly%00cine", "control characters (such as NUL, tab or line breaks) are not allowed."),
        ("gly%FFcine", "not UTF-8 text (or holds U+FFFD); percent-encode the value's UTF-8 bytes."),
    ],
)
def test_a_value_that_is_not_text_is_refused_once_saying_why(client, content, value, detail):
    response = client.get(f"/api/v1/components/?q={value}&q=glycine&kind=yoga")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"parameter": "q", "detail": detail}]
