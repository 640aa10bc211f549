"""My API tokens in a real browser, under the admin's CSP: an editor follows the home page's
link, makes a token, sees its key once with how to use it, and finds only its prefix in the
list afterwards; the key opens the editorial API as that editor."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from content.models import PersonalToken
from tests.factories import EditorFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_editor_makes_a_token_and_sees_its_key_once(page, live_server, log_in, screenshot):
    editor = EditorFactory(is_staff=True)
    log_in(editor)

    page.click("#desk-tokens a")
    expect(page.locator("h1")).to_have_text("My API tokens")
    expect(page.locator("#no-tokens")).to_be_visible()
    page.click("#make-token-link")
    expect(page.locator("#id_expires_in_days")).to_have_value("90")

    # A refusal first: the typing stays.
    page.fill("#id_name", "Import script")
    page.fill("#id_expires_in_days", "400")
    page.click("#make-token")
    expect(page.locator(".field-expires_in_days .errorlist")).to_contain_text(
        "400 is out of that range"
    )
    expect(page.locator("#id_name")).to_have_value("Import script")
    assert not PersonalToken.objects.exists()

    page.fill("#id_expires_in_days", "30")
    page.click("#make-token")

    key = page.locator("#token-key").inner_text().strip()
    token = PersonalToken.objects.get()
    assert token.user == editor and key.startswith(token.prefix + ".")
    assert PersonalToken.objects.get_from_key(key) == token
    expect(page.locator("#token-header")).to_have_text(f"Authorization: Bearer {key}")
    expect(page.locator("#token-api-url")).to_have_text(f"{live_server.url}/api/manage/v1/")
    screenshot("tokens")

    page.click("#token-done")
    row = page.locator(f"#token-{token.prefix}")
    expect(row.locator(".token-name")).to_have_text("Import script")
    expect(row.locator(".token-state")).to_have_text("live")
    assert key not in page.content()
    # The key's page is never cached: going back asks to send the form again (which the
    # browser does not do by itself) instead of showing the key.
    with pytest.raises(PlaywrightError, match="ERR_CACHE_MISS"):
        page.go_back()
    assert PersonalToken.objects.count() == 1
