"""What apps will show of a body: the API's own rendering of its Markdown (the same function
the read model stores ``body_html`` with), and the raw HTML in it that apps show escaped, as
literal text; and the version's pictures, with their alt text and credit. Shown next to the
Markdown on the draft form, the review page and the diff."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from django.http import HttpRequest, JsonResponse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from content.delivery.rendering import markdown_to_html, raw_html_in

from .pictures import ShownPicture


class BodyPreview(NamedTuple):
    html: SafeString  # sanitised by ``markdown_to_html``, as the API serves it
    raw_html: list[str]
    pictures: Sequence[ShownPicture] = ()


def body_preview(body: str, pictures: Sequence[ShownPicture] = ()) -> BodyPreview:
    return BodyPreview(mark_safe(markdown_to_html(body)), raw_html_in(body), pictures)


@require_POST
def preview_view(request: HttpRequest) -> JsonResponse:
    """The preview of the posted ``body``, for the draft form to show while the editor types."""
    preview = body_preview(request.POST.get("body", ""))
    return JsonResponse({"html": preview.html, "raw_html": preview.raw_html})
