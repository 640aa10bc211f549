"""The delivery generations: one row that says when anything the API serves may have changed.

Below every other model module (it imports none), so that vocabularies, keys and the
workflow can all bump it.
"""

from __future__ import annotations

import secrets

from django.db import connection, models

#: The PostgreSQL channel on which every generation change is announced (see
#: ``content.delivery.freshness``); the payload is "<generation>:<keys generation>".
NOTIFY_CHANNEL = "delivery_generations"


class DeliveryStateMissing(RuntimeError):
    """The one row of ``DeliveryState`` is not there (a restore under way?)."""


def new_epoch() -> str:
    """A random id for a new run of generations."""
    return secrets.token_hex(8)


class DeliveryState(models.Model):
    """One row of counters that say when anything the API serves may have changed.

    ``generation`` grows in the same transaction as every publication, withdrawal and
    vocabulary change; ``keys_generation`` with every change to the API keys (a database
    trigger: any way a key is changed or deleted counts). Neither ever decreases, and the
    row is never deleted (PostgreSQL triggers refuse both). ``epoch`` tells runs of
    generations apart: with the identity of this table and the cluster's timeline (see
    ``content.delivery.freshness``) it changes when a backup is restored or a replica
    promoted, so a generation number seen before is never mistaken for the same state.
    """

    epoch = models.CharField(max_length=32, default=new_epoch)
    generation = models.BigIntegerField(default=1)
    keys_generation = models.BigIntegerField(default=1)

    def __str__(self) -> str:
        return f"epoch {self.epoch}, generation {self.generation}, keys {self.keys_generation}"


def bump_generation() -> int:
    """Say that what the API serves has changed; return the new generation.

    Call inside the transaction that makes the change: the row update and the notification
    both take effect when it commits, and not at all if it rolls back. The update locks the
    row until then, so generations commit in the order they are given out. (API keys bump
    ``keys_generation`` through a database trigger instead: every way of changing one counts.)
    """
    table = DeliveryState._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET generation = generation + 1 WHERE id = 1 "
            "RETURNING generation, keys_generation"
        )
        row = cursor.fetchone()
        if row is None:
            raise DeliveryStateMissing(
                "The delivery state row is missing: is a restore under way? Nothing was changed."
            )
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_notify(%s, %s)", [NOTIFY_CHANNEL, f"{row[0]}:{row[1]}"])
    return row[0]


def ensure_delivery_state(*, apps=None, using: str = "default", **kwargs) -> None:
    """Create the state row where it is missing (after ``migrate``, and after tests flush the
    database), with a new epoch: nothing served before it can be mistaken for its state.

    A ``post_migrate`` receiver: it uses the model as the migrations left it (``apps``;
    ``flush`` sends none, and leaves the models as they are)."""
    if apps is None:
        from django.apps import apps
    try:
        state = apps.get_model("content", "DeliveryState")
    except LookupError:  # migrated back to before the table existed
        return
    state.objects.using(using).get_or_create(pk=1)
