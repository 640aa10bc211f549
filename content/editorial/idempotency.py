"""``Idempotency-Key``: a transition sent again with the same key (a retry after a lost
answer) gets the first answer again, and acts once.

The first answer is stored in the transaction that acts, so either both are kept or
neither. Two requests with one key at the same moment take turns: the second waits on the
first's row (a unique key) and, once the first commits, answers the first's answer. A key
sent with another request (another path or body) is refused: keys name one request."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http.request import RawPostDataException
from django.utils import timezone
from django_tasks import task
from rest_framework.response import Response

from content.delivery.problems import PROBLEM_TYPE_BASE
from content.errors import DomainError
from content.models import IdempotentRequest
from content.workflow.state import atomic_action

from .base import Refused, problem_answer, refusal

HEADER = "Idempotency-Key"
#: How long a first answer is kept for repeats (then pruned by the worker's hourly job).
KEPT_FOR = timedelta(hours=24)
MAX_KEY_LENGTH = 255


def _fingerprint(request) -> str:
    """What makes a request the same request: its method, path and body. A multipart body
    (an upload, read already by the parser) by its fields and each file's name and bytes."""
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    try:
        digest.update(request._request.body)
    except RawPostDataException:
        for name, values in sorted(request._request.POST.lists()):
            digest.update(repr((name, values)).encode())
        for name, upload in sorted(request._request.FILES.items()):
            digest.update(f"{name}={upload.name}:{upload.size}:".encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    return digest.hexdigest()


def _replay(found: IdempotentRequest, fingerprint: str) -> Response:
    if found.fingerprint != fingerprint:
        raise Refused(
            422,
            f"The Idempotency-Key '{found.key}' was already used for another request; "
            "use a new key for each request.",
            f"{PROBLEM_TYPE_BASE}idempotency-key-reused",
        )
    headers = {"Idempotent-Replayed": "true"}
    content_type = "application/problem+json" if found.status >= 400 else None
    return Response(found.body, status=found.status, headers=headers, content_type=content_type)


def once(request, view, perform: Callable[[], Response]) -> Response:
    """``perform()``'s answer, or, for a repeated ``Idempotency-Key``, the first one's."""
    key = request.headers.get(HEADER)
    if key is None:
        return perform()
    if not key.strip() or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise Refused(
            400,
            f"An {HEADER} is 1 to {MAX_KEY_LENGTH} printable characters (a UUID is usual).",
            "about:blank",
        )
    return _once(request, view, key, _fingerprint(request), perform)


@atomic_action
def _once(request, view, key: str, fingerprint: str, perform) -> Response:
    user = request.user
    since = timezone.now() - KEPT_FOR
    found = IdempotentRequest.objects.filter(user=user, key=key, created_at__gte=since).first()
    if found is not None:
        return _replay(found, fingerprint)
    IdempotentRequest.objects.filter(user=user, key=key).delete()  # an expired one
    try:  # the row first: the same key's other request waits here until this one commits
        with transaction.atomic():
            record = IdempotentRequest.objects.create(
                user=user, key=key, fingerprint=fingerprint, status=0, body={}
            )
    except IntegrityError:
        return _replay(IdempotentRequest.objects.get(user=user, key=key), fingerprint)
    try:
        with transaction.atomic():  # a refusal undoes what the action did, not the record
            response = perform()
    except DomainError as error:
        response = problem_answer(refusal(error, view.version))
    except Refused as error:
        response = problem_answer(error)
    record.status, record.body = response.status_code, response.data
    record.save(update_fields=["status", "body"])
    return response


@task()
def prune() -> int:
    """Forget first answers older than ``KEPT_FOR``; returns how many."""
    deleted, _ = IdempotentRequest.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
    return deleted
