"""What concerns the caller: the versions waiting for their review, and their
notifications (read one, or all)."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.response import Response

from content.models import Notification
from content.workflow.approvals import awaiting_review_by, with_approval_progress

from . import schema
from .base import EditorialView, Refused
from .representations import version_summary


class ReviewQueue(EditorialView):
    @schema.review_queue
    def get(self, request):
        """Versions in review the caller may review now: never one they wrote or approved."""
        versions = with_approval_progress(awaiting_review_by(request.user)).select_related(
            "item", "item__locale", "item__source"
        )
        return Response(
            {
                "results": [
                    {
                        "item": version.item.slug,
                        "kind": version.item.kind,
                        "locale": version.item.locale.code if version.item.locale_id else None,
                        "title": version.title,
                        **version_summary(version),
                        "approvals": version.valid_approval_count,
                    }
                    for version in versions
                ]
            }
        )


def _notification_json(notification: Notification) -> dict:
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "title": notification.title,
        "link": notification.link,
        "item": notification.item.slug if notification.item_id else None,
        "created_at": notification.created_at.isoformat(),
        "read": notification.read_at is not None,
    }


class NotificationList(EditorialView):
    @schema.notification_list
    def get(self, request):
        """The caller's notifications, newest first (``unread=true``: only those unread;
        ``false``: only those read)."""
        found = Notification.objects.filter(recipient=request.user).select_related("item")
        unread = request.query_params.get("unread")
        if unread not in (None, "true", "false"):
            raise Refused(400, "unread is true or false.", "about:blank")
        if unread is not None:
            found = found.filter(read_at__isnull=unread == "true")
        return Response({"results": [_notification_json(n) for n in found[:200]]})


class NotificationRead(EditorialView):
    @schema.notification_read
    def post(self, request, id: int):
        """Mark one of the caller's notifications read (another person's is not found)."""
        found = Notification.objects.filter(recipient=request.user, pk=id).first()
        if found is None:
            raise exceptions.NotFound(f"You have no notification {id}.")
        if found.read_at is None:
            found.read_at = timezone.now()
            found.save(update_fields=["read_at"])
        return Response(_notification_json(found))
