"""The "Preview link" panel of an item's page: make a link that lets an app show the working
version before it is published (its address shown once, on the page that follows), and the
version's live links, each with a Revoke button for those who may.

Every rule is the workflow's (``content.workflow.previews``): these views read the form, call
the domain function and say what was done or why not; the panel offers what its checks allow.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from content.errors import DomainError
from content.models import Locale, PreviewLink, Version
from content.workflow import previews
from content.workflow.offers import ItemVersions, item_versions

#: The expiry offered, in hours (the domain refuses more than ``MAX_EXPIRY``).
DEFAULT_HOURS = int(previews.DEFAULT_EXPIRY.total_seconds() // 3600)
MAX_HOURS = int(previews.MAX_EXPIRY.total_seconds() // 3600)


@dataclass(frozen=True)
class ShownLink:
    """A live link as the panel lists it: the link, whether this person may revoke it, and
    whether the version still says what it said when the link was made (else the link
    opens nothing, until the version says it again)."""

    link: PreviewLink
    revocable: bool
    current: bool


def _passes(check, **arguments) -> bool:
    try:
        check(**arguments)
    except DomainError:
        return False
    return True


def preview_address(request: HttpRequest, token: str) -> str:
    """The full address an app opens for ``token``: on ``SITE_URL`` if set, else this host."""
    route = reverse("preview", kwargs={"token": token})
    site = getattr(settings, "SITE_URL", "")
    return site.rstrip("/") + route if site else request.build_absolute_uri(route)


class PreviewLinkViews:
    """Mixed into ``ItemAdmin``: the panel's context and the view its forms post to."""

    def preview_link_urls(self) -> list:
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<int:object_id>/preview-links/",
                self.admin_site.admin_view(self.preview_links_view),
                name="{}_{}_preview_links".format(*info),
            )
        ]

    def preview_links_context(self, request: HttpRequest, versions: ItemVersions) -> dict:
        """What the panel shows of the working version: the form if this person may make a
        link, and its live links (none without a working version)."""
        working = versions.working
        if working is None:
            return {}
        user = request.user
        live = list(previews.live_preview_links(working))
        now = previews.current_hash(working) if live else ""
        links = [
            ShownLink(
                link,
                _passes(previews.check_revoke_preview_link, user=user, link=link),
                link.content_hash == now,
            )
            for link in live
        ]
        translation = working.item.locale if working.item.source_id is not None else None
        return {
            "preview_links": {
                "version": working,
                "can_make": _passes(previews.check_make_preview_link, user=user, version=working),
                "links": links,
                "translation_locale": translation,
                "locales": [] if translation else list(Locale.objects.order_by("code")),
                "drafts": previews.component_drafts(working),
                "url": self._url("preview_links", working.item_id),
                "default_hours": DEFAULT_HOURS,
                "max_hours": MAX_HOURS,
            }
        }

    def preview_links_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        item = self._item(request, object_id)
        back = HttpResponseRedirect(self._url("change", item.pk))
        if request.method != "POST":
            return back
        if request.POST.get("action") == "revoke":
            return self._revoke(request, item, back)
        working = item_versions(item).working
        if working is None:
            messages.error(request, "This item has no version in progress to preview.")
            return back
        hours = request.POST.get("hours", "").strip() or str(DEFAULT_HOURS)
        if not (hours.isascii() and hours.isdigit() and len(hours) <= 3):
            messages.error(
                request,
                f"Say after how many hours the link expires: a whole number from 1 to "
                f"{MAX_HOURS}. No link was made.",
            )
            return back
        chosen = [pk for pk in request.POST.getlist("drafts") if pk.isdigit()]
        drafts = Version.objects.filter(pk__in=chosen).select_related("item")
        try:
            link, token = previews.make_preview_link(
                user=request.user,
                version=working,
                locale=request.POST.get("locale", ""),
                drafts=drafts,
                expires_in=timedelta(hours=int(hours)),
            )
        except DomainError as exc:
            messages.error(request, f"No preview link was made: {exc}")
            return back
        context = self._context(
            request,
            item,
            title=f"Preview link to version {working.number} of {item.slug}",
            link=link,
            address=preview_address(request, token),
            shown_drafts=list(drafts.order_by("item__slug")),
            change_url=self._url("change", item.pk),
        )
        return TemplateResponse(request, "admin/content/preview_link_made.html", context)

    def _revoke(self, request: HttpRequest, item, back: HttpResponse) -> HttpResponse:
        link = PreviewLink.objects.filter(
            pk=_uuid_or_none(request.POST.get("link", "")), version__item=item
        ).first()
        if link is None:
            messages.error(request, "That preview link is not one of this item's.")
            return back
        try:
            previews.revoke_preview_link(user=request.user, link=link)
        except DomainError as exc:
            messages.error(request, str(exc))
            return back
        messages.success(
            request, "The preview link is revoked: apps that open it are refused from now on."
        )
        return back


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
