"""API keys for delivery clients: stored only as hashes, revocable, each with its own rate."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from rest_framework_api_key.models import AbstractAPIKey


class DeliveryKey(AbstractAPIKey):
    """A key an app sends as ``Authorization: Api-Key <key>``.

    Any change to this table, however it is made, bumps the keys generation in the same
    transaction (a database trigger, migration 0009), so that workers drop the keys they
    validated: a revocation or deletion is total.
    """

    requests_per_minute = models.PositiveIntegerField(
        default=600,
        validators=[MinValueValidator(1)],
        help_text="Requests this key may make per minute before it gets 429 Too Many Requests.",
    )

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "API key"
        verbose_name_plural = "API keys"
