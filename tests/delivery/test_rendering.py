"""``body_html`` is rendered from Markdown and safe to show in an app's web view."""

from html.parser import HTMLParser

import pytest

from content.delivery.rendering import markdown_to_html


class Elements(HTMLParser):
    """Collect the elements and attributes a browser would build from the HTML."""

    def __init__(self, html):
        super().__init__()
        self.elements = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "markdown",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">tap</a>',
        "[tap](javascript:alert(1))",
        "[tap](JaVaScRiPt:alert(1))",
        '<p onclick="alert(1)">hi</p>',
        "<iframe src=https://evil.example></iframe>",
        "[tap](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    ],
)
def test_no_script_no_handler_no_javascript_link_survives(markdown):
    elements = Elements(markdown_to_html(markdown)).elements
    assert all(tag not in {"script", "iframe", "img"} for tag, _ in elements)
    for _, attrs in elements:
        assert not [name for name in attrs if name.startswith("on")]
        href = (attrs.get("href") or "").strip().lower()
        assert not href.startswith(("javascript:", "data:"))


def test_ordinary_markdown_renders():
    html = markdown_to_html(
        "## Steps\n\n1. Lie down\n2. **Breathe**\n\n[NIH ODS](https://ods.od.nih.gov/)"
    )
    assert "<h2>Steps</h2>" in html
    assert "<li><strong>Breathe</strong></li>" in html
    assert (
        '<a href="https://ods.od.nih.gov/" rel="noopener noreferrer nofollow">NIH ODS</a>' in html
    )


def test_the_api_serves_the_sanitised_html(client, publish):
    publish("legs-up", body="Rest. <script>steal()</script> [x](javascript:steal())")
    item = client.get("/api/v1/components/legs-up/").json()
    elements = Elements(item["body_html"]).elements
    assert [tag for tag, _ in elements] == ["p"]
    assert item["body_markdown"] == "Rest. <script>steal()</script> [x](javascript:steal())"
