"""Versions: listed, read with their ETag, and drafts edited with ``PUT`` (the whole
content) or ``PATCH`` (a JSON merge patch), each only with the ``If-Match`` it was read with:
428 without one, 412 with a stale one (the draft as it is now in the problem), never a
silent overwrite."""

from __future__ import annotations

from rest_framework.response import Response

from content.delivery.problems import PROBLEM_TYPE_BASE
from content.models import Version
from content.workflow.drafts import edit_draft
from content.workflow.snapshot import read_content

from . import schema
from .base import EditorialView, Refused
from .representations import (
    content_class,
    content_json,
    etag,
    merge_patch,
    parse_content,
    version_json,
    version_summary,
)


def _matches(header: str, current: str) -> bool:
    """``If-Match`` by strong comparison: ``*`` or one of its tags, never a weak one."""
    tags = [tag.strip() for tag in header.split(",")]
    return "*" in tags or current in tags


def _precondition(request, version: Version) -> None:
    """Refuse an edit made without ``If-Match`` (428) or from a stale copy (412)."""
    header = request.headers.get("If-Match")
    current = {"number": version.number, "state": version.state, "etag": etag(version)}
    if header is None:
        raise Refused(
            428,
            "Send the draft's ETag as If-Match (read it first): edits are made only to the "
            "copy they were based on.",
            f"{PROBLEM_TYPE_BASE}if-match-required",
            version=current,
        )
    if not _matches(header, etag(version)):
        raise Refused(
            412,
            f"Version {version.number} of '{version.item.slug}' changed since you read it "
            f"(its ETag is now {etag(version)}). Read it again and apply your changes to "
            "what is there now; nothing was saved.",
            f"{PROBLEM_TYPE_BASE}stale",
            code="stale",
            version=current,
            current=version_json(version),
        )


class VersionList(EditorialView):
    @schema.version_list
    def get(self, request, slug: str):
        item = self.item(slug)
        versions = Version.objects.filter(item=item).order_by("-number")
        return Response({"item": item.slug, "versions": [version_summary(v) for v in versions]})


class VersionDetail(EditorialView):
    def _answer(self, version: Version, status: int = 200) -> Response:
        return Response(version_json(version), status=status, headers={"ETag": etag(version)})

    @schema.version_detail
    def get(self, request, slug: str, number: int):
        return self._answer(self.find_version(slug, number))

    @schema.version_put
    def put(self, request, slug: str, number: int):
        """Replace what the draft says with the content sent, whole (the ``content`` of
        the version as read, changed)."""
        version = self.find_version(slug, number)
        data = self.body(request)
        return self._edit(request, version, data)

    @schema.version_patch
    def patch(self, request, slug: str, number: int):
        """Change the fields the merge patch names (``null`` removes an optional one)."""
        version = self.find_version(slug, number)
        if request.content_type.split(";")[0].strip() != "application/merge-patch+json":
            raise Refused(
                415,
                "PATCH takes a JSON merge patch: send Content-Type: application/merge-patch+json.",
                "about:blank",
            )
        patch = self.body(request)
        current = content_json(read_content(version))
        return self._edit(request, version, merge_patch(current, patch))

    def _edit(self, request, version: Version, data) -> Response:
        _precondition(request, version)
        content = parse_content(content_class(version.item), data)
        edited = edit_draft(
            version=version,
            user=request.user,
            content=content,
            expected_edit_count=version.edit_count,
        )
        edited.item = version.item
        return self._answer(edited)
