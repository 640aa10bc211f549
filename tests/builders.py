"""Bring content to a given state the way people would: through the workflow."""

from __future__ import annotations

from content import workflow
from content.kinds import Kind
from content.models import Version
from tests.factories import PlanContentFactory, ReviewerFactory, VersionContentFactory


def draft(editor, *, slug: str | None = None, kind: str = Kind.YOGA, **content) -> Version:
    content_ = VersionContentFactory(kind=kind, **content)
    slug = slug or content_.title.lower().replace(" ", "-")
    return workflow.create_component(user=editor, kind=kind, slug=slug, content=content_)


def in_review(editor, **kwargs) -> Version:
    return workflow.submit_for_review(version=draft(editor, **kwargs), user=editor)


def approved(editor, *reviewers, **kwargs) -> Version:
    version = in_review(editor, **kwargs)
    return approve_fully(version, *reviewers)


def approve_fully(version: Version, *reviewers) -> Version:
    """Approve with the given reviewers, adding fresh ones until the policy is met."""
    needed = workflow.approval_progress(version).required
    reviewers = list(reviewers) + [ReviewerFactory() for _ in range(needed - len(reviewers))]
    for reviewer in reviewers[:needed]:
        version = workflow.approve(version=version, user=reviewer, seen_hash=version.content_hash)
    return version


def published(editor, *reviewers, **kwargs) -> Version:
    version = approved(editor, *reviewers, **kwargs)
    publisher = reviewers[0] if reviewers else ReviewerFactory()
    return workflow.publish(version=version, user=publisher)


def draft_plan(editor, *, slug: str | None = None, **content) -> Version:
    """A plan drafted by ``editor``; ``content`` as for ``PlanContentFactory`` (``items=``)."""
    content_ = PlanContentFactory(**content)
    slug = slug or content_.title.lower().replace(" ", "-")
    return workflow.create_plan(user=editor, slug=slug, content=content_)


def plan_in_review(editor, **kwargs) -> Version:
    return workflow.submit_for_review(version=draft_plan(editor, **kwargs), user=editor)


def approved_plan(editor, *reviewers, **kwargs) -> Version:
    return approve_fully(plan_in_review(editor, **kwargs), *reviewers)


def published_plan(editor, *reviewers, **kwargs) -> Version:
    """A plan taken through review to published, as ``published()`` does a component: its
    items' components must be published already."""
    version = approved_plan(editor, *reviewers, **kwargs)
    publisher = reviewers[0] if reviewers else ReviewerFactory()
    return workflow.publish(version=version, user=publisher)


def republished(version: Version, editor, *reviewers, **changes) -> Version:
    """Revise ``version``, apply ``changes`` to the draft, and take it all the way to published."""
    from dataclasses import replace

    new = workflow.revise(version=version, user=editor)
    if changes:
        content = replace(workflow.read_content(new), **changes)
        new = workflow.edit_draft(
            version=new, user=editor, content=content, expected_edit_count=new.edit_count
        )
    new = workflow.submit_for_review(version=new, user=editor)
    new = approve_fully(new, *reviewers)
    publisher = reviewers[0] if reviewers else ReviewerFactory()
    return workflow.publish(version=new, user=publisher)


def translation_of(source: Version, locale: str, translator, **changes):
    """A complete translation draft of the published ``source`` into ``locale``: each text
    of the source marked with the locale ("[es] ..."), then ``changes``."""
    from content.workflow import TranslationContent, source_text, start_translation

    text = source_text(source)

    def mark(value):
        if isinstance(value, list):
            return [f"[{locale}] {entry}" for entry in value]
        return f"[{locale}] {value}" if value else value

    content = TranslationContent(
        title=mark(text["title"]),
        summary=mark(text["summary"]),
        body=mark(text["body"]),
        change_note=f"Translated into {locale}.",
        details={name: mark(value) for name, value in text["details"].items()},
        notes={
            part: {key: mark(note) for key, note in notes.items()}
            for part, notes in text["notes"].items()
        },
    )
    from dataclasses import replace

    content = replace(content, **changes)
    return start_translation(item=source.item, locale=locale, user=translator, content=content)


def published_translation(source: Version, locale: str, translator, *reviewers, **changes):
    """``translation_of`` taken through review to published."""
    version = translation_of(source, locale, translator, **changes)
    version = workflow.submit_for_review(version=version, user=translator)
    version = approve_fully(version, *reviewers)
    publisher = reviewers[0] if reviewers else ReviewerFactory()
    return workflow.publish(version=version, user=publisher)
