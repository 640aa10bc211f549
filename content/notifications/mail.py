"""The emails: one per notification for who chose "at once", and one daily digest per person
for who chose "daily digest". Django's email settings (from the environment) send them.

Every email holds titles and links only, never what a version says. Each notification is
emailed at most once: claiming it (setting ``emailed_at``) and sending are one transaction,
so a failed send leaves it to be tried again, and two jobs never both send it. A person gets
at most one digest a day: the ``DigestRun`` row of that day is written with it.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from content.models import Delivery, DigestRun, Notification

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "[Recovery content] "

#: Minutes to wait before trying a failed email again, try after try.
RETRY_MINUTES = (1, 10, 60)

#: An email meant to go at once that has not gone this long after it was made lost its job
#: (a worker stopped); the daily job sends it. Older than ``GIVE_UP_AFTER``, it is dropped.
LOST_AFTER = timedelta(hours=1)
GIVE_UP_AFTER = timedelta(days=7)

_SEND_ERRORS = (OSError, smtplib.SMTPException)


def _footer() -> str:
    """Where each email says the person can see everything and change how they are told."""
    listing = settings.SITE_URL + reverse("admin:content_notification_changelist")
    choices = settings.SITE_URL + reverse("admin:content_notification_preferences")
    return f"All your notifications: {listing}\nChoose how you are told of each kind: {choices}\n"


def _greeting(user) -> str:
    return f"Hello {user.get_short_name() or user.get_username()},"


def _can_email(user) -> bool:
    return bool(user.is_active and user.email)


# --- At once: one email per notification ---------------------------------------------------


def send_one(notification_id: int) -> bool:
    """Email the notification if it is still to be emailed at once; whether it was sent.
    A failed send raises, and leaves it to be tried again."""
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if (
        notification is None
        or notification.delivery != Delivery.IMMEDIATE
        or notification.emailed_at is not None
        or not _can_email(notification.recipient)
    ):
        return False
    with transaction.atomic():
        claimed = Notification.objects.filter(pk=notification_id, emailed_at=None).update(
            emailed_at=timezone.now()
        )
        if not claimed:
            return False  # another job sent it meanwhile
        send_mail(
            SUBJECT_PREFIX + notification.title,
            f"{_greeting(notification.recipient)}\n\n{notification.title}\n"
            f"{notification.url}\n\n{_footer()}",
            None,
            [notification.recipient.email],
        )
    return True


@task()
def email_notification(notification_id: int, attempt: int = 1) -> str:
    """Email one notification at once; if sending fails, try again later (``RETRY_MINUTES``)."""
    try:
        sent = send_one(notification_id)
    except _SEND_ERRORS:
        if attempt <= len(RETRY_MINUTES):
            later = timezone.now() + timedelta(minutes=RETRY_MINUTES[attempt - 1])
            email_notification.using(run_after=later).enqueue(notification_id, attempt + 1)
        logger.warning("Emailing notification %s failed (try %d)", notification_id, attempt)
        raise
    return "sent" if sent else "nothing to send"


def resend_lost(*, now: datetime | None = None) -> int:
    """Queue again the emails meant to go at once that never went (their job was lost);
    return how many."""
    now = now or timezone.now()
    lost = Notification.objects.filter(
        delivery=Delivery.IMMEDIATE,
        emailed_at=None,
        created_at__lt=now - LOST_AFTER,
        created_at__gte=now - GIVE_UP_AFTER,
        recipient__is_active=True,
    ).exclude(recipient__email="")
    count = 0
    for notification_id in lost.values_list("pk", flat=True):
        email_notification.enqueue(notification_id)
        count += 1
    return count


# --- The daily digest ------------------------------------------------------------------------


def period_of(now: datetime) -> tuple[date, datetime]:
    """The digest period ``now`` falls in (its day, in the site's time zone) and when that
    day started: a digest holds what was made before its day began."""
    day = timezone.localdate(now)
    return day, timezone.make_aware(datetime.combine(day, time.min))


def _digest_text(user, notifications: list[Notification]) -> str:
    lines = [
        _greeting(user),
        "",
        "Since your last digest (titles and links only; the content is in the admin):",
        "",
    ]
    for notification in notifications:
        lines += [f"- {notification.title}", f"  {notification.url}"]
    return "\n".join(lines) + "\n\n" + _footer()


def _send_digest(user, *, day: date, starts: datetime, now: datetime) -> int:
    """Send ``user`` their digest for ``day`` (what was made before ``starts`` and not sent
    yet), unless they had it; return how many notifications it held (0: none sent)."""
    try:
        with transaction.atomic():
            run = DigestRun.objects.create(
                recipient=user, period=day, sent_at=now, notifications_sent=0
            )
            notifications = list(
                Notification.objects.filter(
                    recipient=user,
                    delivery=Delivery.DIGEST,
                    emailed_at=None,
                    created_at__lt=starts,
                ).order_by("created_at", "pk")
            )
            claimed = Notification.objects.filter(
                pk__in=[n.pk for n in notifications], emailed_at=None
            ).update(emailed_at=now, digest=run)
            if not notifications or claimed != len(notifications):
                transaction.set_rollback(True)  # nothing left, or another run is sending it
                return 0
            run.notifications_sent = claimed
            run.save(update_fields=["notifications_sent"])
            count = len(notifications)
            send_mail(
                f"{SUBJECT_PREFIX}Your daily digest: {count} notification{'s' * (count != 1)}",
                _digest_text(user, notifications),
                None,
                [user.email],
            )
    except IntegrityError:
        return 0  # this person's digest for this day went already
    return claimed


def send_digests(*, now: datetime | None = None) -> dict[str, int]:
    """Send each person with news waiting for their digest that day's digest, once: run it
    again the same day and it sends nothing more. A failed send is left for the next run."""
    now = now or timezone.now()
    day, starts = period_of(now)
    waiting = (
        Notification.objects.filter(
            delivery=Delivery.DIGEST,
            emailed_at=None,
            created_at__lt=starts,
            recipient__is_active=True,
        )
        .exclude(recipient__email="")
        .exclude(recipient__notification_digests__period=day)
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = failed = 0
    for user in get_user_model().objects.filter(pk__in=list(waiting)).order_by("pk"):
        try:
            if _send_digest(user, day=day, starts=starts, now=now):
                sent += 1
        except _SEND_ERRORS:
            logger.warning("The digest of %s could not be sent", user, exc_info=True)
            failed += 1
    return {"digests": sent, "failed": failed}
