"""Pictures in tests: real files (``tests.media.images``) uploaded through the workflow, each
test in a media folder of its own (``tests/conftest.py``)."""

from __future__ import annotations

import factory
import pytest

from content.media.renditions import crops, make_renditions
from content.models import Asset
from content.workflow.media import AssetFacts, upload_asset
from tests.factories import EditorFactory
from tests.media.images import picture


class AssetFactory(factory.Factory):
    """An asset uploaded through ``upload_asset``: a distinct picture each time unless
    ``data`` is given."""

    class Meta:
        model = Asset

    data = factory.Sequence(
        lambda n: picture(
            (1200, 800),
            colour=(n * 37 % 256, n * 91 % 256, n * 53 % 256),
            mark=((n * 29 % 1000, 100, n * 29 % 1000 + 150, 300), (255, 255, 255)),
        )
    )
    original_name = factory.Sequence(lambda n: f"pose-{n}.jpg")
    title = factory.Sequence(lambda n: f"Pose {n}")
    credit = "Recovery content project"
    licence = "CC0 1.0"
    focal_x = None
    focal_y = None
    ratio = ""
    user = factory.LazyFunction(EditorFactory)

    @classmethod
    def _create(cls, model_class, *, data, original_name, user, **facts):
        return upload_asset(
            user=user, data=data, original_name=original_name, facts=AssetFacts(**facts)
        )

    _build = _create


def rendered(asset: Asset) -> Asset:
    """``asset`` once the rendition jobs the upload enqueued have run (here, in-process)."""
    for crop in crops(asset):
        make_renditions.call(asset.pk, crop)
    return asset


@pytest.fixture
def asset(db):
    return rendered(AssetFactory())
