"""``vocabulary.changed``: a contraindication, one of its aliases or a goal was created,
changed or deleted. Announced from the models' save and delete signals, in the transaction
of the change (the admin and any ORM save go through them; a queryset ``update()`` or raw SQL
does not, though the delivery generation still moves: see migration 0010)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from content.models import Contraindication, ContraindicationAlias, Goal

from .outbox import vocabulary_event

VOCABULARIES = {
    Contraindication: "contraindication",
    ContraindicationAlias: "contraindication_alias",
    Goal: "goal",
}


def _saved(sender, instance, created, raw=False, **kwargs) -> None:
    if not raw:  # not while loading fixtures
        vocabulary_event(VOCABULARIES[sender], instance.slug, "created" if created else "changed")


def _deleted(sender, instance, **kwargs) -> None:
    vocabulary_event(VOCABULARIES[sender], instance.slug, "deleted")


def connect() -> None:
    for model in VOCABULARIES:
        post_save.connect(_saved, sender=model, dispatch_uid=f"vocabulary-saved-{model.__name__}")
        post_delete.connect(
            _deleted, sender=model, dispatch_uid=f"vocabulary-deleted-{model.__name__}"
        )
