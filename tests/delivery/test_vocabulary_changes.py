"""A change to a served vocabulary is served at once, however it is made: the database bumps
the delivery generation (migration 0010), not ``save()``, so queryset updates and deletes,
which never call ``save()``, count too."""

import pytest

from content.models import Contraindication, ContraindicationAlias, DeliveryState, Goal


def _rename_by_save(vocabulary):
    pregnancy = vocabulary["pregnancy"]
    pregnancy.name = "Pregnancy or breastfeeding"
    pregnancy.save()


def _rename_by_update(vocabulary):
    Contraindication.objects.filter(slug="pregnancy").update(name="Pregnancy or breastfeeding")


def _delete_by_queryset(vocabulary):
    Goal.objects.filter(slug="stress").delete()


def _alias_by_bulk_create(vocabulary):
    ContraindicationAlias.objects.bulk_create(
        [ContraindicationAlias(slug="expecting", contraindication=vocabulary["pregnancy"])]
    )


RENAMED = ('"name":"Pregnancy"', '"name":"Pregnancy or breastfeeding"')
CONTRAINDICATIONS = "/api/v1/contraindications/"


@pytest.mark.parametrize(
    "change, url, gone, new",
    [
        (_rename_by_save, CONTRAINDICATIONS, *RENAMED),
        (_rename_by_update, CONTRAINDICATIONS, *RENAMED),
        (_delete_by_queryset, "/api/v1/goals/", '"slug":"stress"', None),
        (_alias_by_bulk_create, CONTRAINDICATIONS, None, '"expecting"'),
    ],
    ids=["save", "queryset-update", "queryset-delete", "bulk-create"],
)
def test_a_vocabulary_change_is_served_at_once_however_it_is_made(
    client, vocabulary, change, url, gone, new
):
    served = client.get(url).content.decode()
    assert gone is None or gone in served
    assert new is None or new not in served
    generation = DeliveryState.objects.get().generation

    change(vocabulary)

    assert DeliveryState.objects.get().generation > generation
    served = client.get(url).content.decode()
    assert gone is None or gone not in served
    assert new is None or new in served
