"""Pictures are part of a version: named with their role and alt text, frozen with it, in its
content hash (a changed alt text or crop needs a new approval), and published only once
their renditions are made."""

from __future__ import annotations

import pytest

from content import workflow
from content.errors import ContentInvalid, FrozenVersionError, InvalidTransition
from content.models import MediaLink
from content.workflow.media import AssetFacts, change_asset
from content.workflow.snapshot import MediaSpec
from tests import builders
from tests.media.conftest import AssetFactory, rendered

pytestmark = pytest.mark.django_db


def hero(asset, alt="A woman lying on her back, legs resting up against a wall", **more):
    return MediaSpec(asset=asset.sha256, role="hero", alt=alt, **more)


def edited(version, editor, **changes):
    from dataclasses import replace

    content = replace(workflow.read_content(version), **changes)
    return workflow.edit_draft(
        version=version, user=editor, content=content, expected_edit_count=version.edit_count
    )


def test_a_draft_says_its_pictures_in_order(editor, asset):
    second = rendered(AssetFactory())
    media = (
        hero(asset),
        MediaSpec(asset=second.sha256, role="step", step=2, alt="Both hands on the belly"),
        MediaSpec(asset=second.sha256, role="illustration", decorative=True),
    )
    version = builders.draft(editor, media=media)
    assert workflow.read_content(version).media == media
    assert list(MediaLink.objects.filter(version=version).values_list("order", "role", "step")) == [
        (1, "hero", None),
        (2, "step", 2),
        (3, "illustration", None),
    ]


@pytest.mark.parametrize(
    "picture, says",
    [
        ({"alt": ""}, "media[1].alt: describe what the picture shows"),
        ({"alt": "   "}, "media[1].alt: describe what the picture shows"),
        ({"alt": "Legs up the wall"}, "is only a name"),  # the version's title
        ({"alt": "pose-photo.jpg"}, "is only a name"),  # the file's name
        ({"alt": "x" * 301}, "at most 300 characters"),
        ({"decorative": True}, "a decorative picture has no alt text"),
        ({"role": "banner"}, "'banner' is not allowed; choose one of hero, step, illustration"),
        ({"role": "step"}, "a step picture needs its step's number"),
        ({"step": 3}, "only a step picture has a step number"),
        ({"asset": "0" * 64}, "no uploaded picture has this SHA-256"),
    ],
)
def test_a_picture_without_a_real_description_is_refused(editor, asset, picture, says):
    spec = {"asset": asset.sha256, "role": "hero", "alt": "A woman resting", **picture}
    asset.original_name = "pose-photo.jpg"
    asset.save()
    with pytest.raises(ContentInvalid) as caught:
        builders.draft(editor, title="Legs up the wall", media=(MediaSpec(**spec),))
    assert any(says in message for message in caught.value.errors["media"])


def test_one_hero_at_most(editor, asset):
    with pytest.raises(ContentInvalid, match="one hero picture at most"):
        builders.draft(editor, media=(hero(asset), hero(asset, alt="The same, again")))


def test_a_submitted_versions_pictures_are_frozen(editor, asset):
    version = builders.in_review(editor, media=(hero(asset),))
    link = MediaLink.objects.get(version=version)
    link.alt = "Something else"
    with pytest.raises(FrozenVersionError):
        link.save()
    with pytest.raises(FrozenVersionError):
        MediaLink.objects.filter(version=version).delete()


def test_the_alt_text_is_in_the_content_hash(editor, asset):
    version = builders.draft(editor, media=(hero(asset),))
    hashes = {workflow.content_hash(version)}
    for media in (
        (hero(asset, alt="A man lying down, legs on a wall"),),
        (hero(asset, alt="", decorative=True),),
        (MediaSpec(asset=asset.sha256, role="illustration", alt="A man lying down"),),
        (MediaSpec(asset=asset.sha256, role="step", step=1, alt="A man lying down"),),
        (MediaSpec(asset=asset.sha256, role="step", step=2, alt="A man lying down"),),
    ):
        version = edited(version, editor, media=media)
        hashes.add(workflow.content_hash(version))
    assert len(hashes) == 6  # every change of alt, decorative, role or step is another hash


def test_a_version_whose_alt_text_changed_needs_a_new_approval(editor, reviewer, asset):
    published = builders.published(editor, reviewer, media=(hero(asset),))
    revision = workflow.revise(version=published, user=editor)
    revision = edited(revision, editor, media=(hero(asset, alt="A man lying down, legs up"),))
    revision = workflow.submit_for_review(version=revision, user=editor)
    with pytest.raises(InvalidTransition, match="only approved versions"):
        workflow.publish(version=revision, user=reviewer)
    # An approval of what the reviewer saw before the alt text changed does not count.
    with pytest.raises(InvalidTransition, match="is not the one in review"):
        workflow.approve(version=revision, user=reviewer, seen_hash=published.content_hash)
    revision = workflow.approve(version=revision, user=reviewer, seen_hash=revision.content_hash)
    assert workflow.publish(version=revision, user=reviewer).state == "published"


def test_a_new_crop_after_approval_stops_the_publication(editor, reviewer, asset):
    """The crop is what apps are shown: an approval covers the crop it saw."""
    version = builders.approved(editor, reviewer, media=(hero(asset),))
    change_asset(
        user=editor,
        asset=asset,
        facts=AssetFacts(asset.title, asset.credit, asset.licence, 0.5, 0.2, "1:1"),
    )
    rendered(asset)
    with pytest.raises(InvalidTransition, match="no longer matches the content that was approved"):
        workflow.publish(version=version, user=reviewer)


def test_a_version_waits_for_its_renditions_before_it_goes_live(editor, reviewer):
    fresh = AssetFactory(title="Bridge pose")  # its renditions not made yet
    version = builders.approved(editor, reviewer, media=(hero(fresh),))
    with pytest.raises(InvalidTransition, match=r"renditions of 'Bridge pose'.*still being made"):
        workflow.publish(version=version, user=reviewer)
    rendered(fresh)
    assert workflow.publish(version=version, user=reviewer).state == "published"


def test_a_revision_and_a_roll_back_keep_the_pictures(editor, reviewer, asset):
    first = builders.published(editor, reviewer, media=(hero(asset),))
    second = builders.republished(first, editor, reviewer, media=())
    back = workflow.roll_back(version=first, user=editor)
    assert workflow.read_content(second).media == ()
    assert workflow.read_content(back).media == (hero(asset),)


def test_a_plan_shows_pictures_too(editor, reviewer, asset):
    from tests.factories import plan_item

    component = builders.published(editor, reviewer, slug="breath")
    plan = builders.published_plan(
        editor, reviewer, items=[plan_item(component.item.slug, "morning", 1)], media=(hero(asset),)
    )
    assert workflow.read_content(plan).media == (hero(asset),)


def test_versions_without_pictures_hash_as_before(editor):
    """Adding pictures to the model changed no earlier version's hash (approvals stay
    valid): the hash of a version without pictures has no media key at all."""
    from content.workflow.snapshot import canonical_payload

    version = builders.draft(editor)
    assert "media" not in canonical_payload(version, workflow.read_content(version))
