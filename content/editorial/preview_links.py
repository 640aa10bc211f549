"""``POST .../versions/{n}/preview-links/``: a signed, expiring link an app opens to show
this version before it is published (``GET /api/v1/preview/{token}/``)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from rest_framework.response import Response

from content.delivery.problems import PROBLEM_TYPE_BASE
from content.models import Version
from content.workflow.previews import make_preview_link

from . import schema
from .base import EditorialView, Refused, text_field


def _drafts(data) -> list[Version]:
    """The component drafts a plan's preview shows in place of the live components, named
    as "<slug>/<version number>"."""
    named = data.get("drafts", [])
    if not isinstance(named, list) or not all(isinstance(n, str) for n in named):
        raise Refused(
            422, "'drafts' is a list of \"<slug>/<number>\".", f"{PROBLEM_TYPE_BASE}invalid"
        )
    found = []
    for name in named:
        slug, _, number = name.rpartition("/")
        version = (
            Version.objects.filter(item__slug=slug, number=int(number)).first()
            if number.isdigit()
            else None
        )
        if version is None:
            raise Refused(
                422,
                f"'{name}' names no version: write \"<slug>/<number>\".",
                f"{PROBLEM_TYPE_BASE}invalid",
            )
        found.append(version)
    return found


class PreviewLinks(EditorialView):
    @schema.preview_link
    def post(self, request, slug: str, number: int):
        version = self.find_version(slug, number)
        data = self.body(request)
        minutes = data.get("expires_in_minutes", 60)
        if isinstance(minutes, bool) or not isinstance(minutes, int):
            raise Refused(
                422,
                "'expires_in_minutes' is a whole number (1 to 1440).",
                f"{PROBLEM_TYPE_BASE}invalid",
            )
        link, token = make_preview_link(
            user=request.user,
            version=version,
            locale=text_field(data, "locale"),
            drafts=_drafts(data),
            expires_in=timedelta(minutes=minutes),
        )
        path = reverse("preview", kwargs={"token": token})
        base = getattr(settings, "SITE_URL", "") or request.build_absolute_uri("/")[:-1]
        return Response(
            {
                "id": str(link.id),
                "url": base.rstrip("/") + path,
                "token": token,
                "expires_at": link.expires_at.isoformat(),
                "locale": link.locale or None,
            },
            status=201,
        )
