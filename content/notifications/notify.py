"""Making notifications: one piece of ``News`` for the people it concerns, each told as they
chose (at once, in the daily digest, or not at all), once per person however many times the
news is made (an event handled twice, a reminder job run twice)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.urls import reverse

from content.kinds import PLAN
from content.models import ContentItem, Delivery, Notification, Version

from . import preferences
from .mail import email_notification


@dataclass(frozen=True)
class News:
    """What to tell: a kind (``NotificationKind``), a title and a link, never clinical text;
    ``key`` names its cause, so that it is told once per person."""

    kind: str
    title: str
    link: str
    key: str
    item: ContentItem | None = None
    version: Version | None = None


def item_link(item: ContentItem) -> str:
    """The admin page of ``item`` (the plans' screen for a plan, the components' otherwise)."""
    screen = "plan" if item.kind == PLAN else "component"
    return reverse(f"admin:content_{screen}_change", args=[item.pk])


def version_label(version: Version) -> str:
    """How a notification names a version: its title and number."""
    return f"{version.title} (version {version.number})"


def notify(
    news: News, recipients: Iterable[AbstractBaseUser], *, except_user_id: int | None = None
) -> list[Notification]:
    """Tell each of ``recipients`` (but ``except_user_id``, who caused it) of ``news`` as they
    chose; return the notifications made. Those to be emailed at once are queued in the same
    transaction; who has no email address sees them in the admin only."""
    people = {user.pk: user for user in recipients if user.pk != except_user_id}
    if not people:
        return []
    chosen = preferences.deliveries(people.values(), news.kind)
    made = []
    with transaction.atomic():
        told = set(
            Notification.objects.filter(key=news.key, recipient_id__in=people).values_list(
                "recipient_id", flat=True
            )
        )
        for user_id, user in people.items():
            delivery = chosen[user_id]
            if delivery == Delivery.OFF or user_id in told:
                continue
            try:
                with transaction.atomic():
                    notification = Notification.objects.create(
                        recipient=user,
                        kind=news.kind,
                        title=news.title[:300],
                        link=news.link,
                        item=news.item,
                        version=news.version,
                        key=news.key,
                        delivery=delivery,
                    )
            except IntegrityError:
                continue  # made meanwhile by another run of the same job
            if delivery == Delivery.IMMEDIATE and user.email:
                email_notification.enqueue(notification.pk)
            made.append(notification)
    return made
