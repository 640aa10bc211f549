"""API keys for delivery clients: stored only as hashes, revocable, each with its own rate."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models, transaction
from rest_framework_api_key.models import AbstractAPIKey


class DeliveryKey(AbstractAPIKey):
    """A key an app sends as ``Authorization: Api-Key <key>``."""

    requests_per_minute = models.PositiveIntegerField(
        default=600,
        validators=[MinValueValidator(1)],
        help_text="Requests this key may make per minute before it gets 429 Too Many Requests.",
    )

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "API key"
        verbose_name_plural = "API keys"

    def save(self, *args, **kwargs):
        # Workers cache validated keys per keys generation: a revocation takes effect at once.
        from content.delivery.freshness import bump_generation

        with transaction.atomic():
            super().save(*args, **kwargs)
            bump_generation(keys=True)

    def delete(self, *args, **kwargs):
        from content.delivery.freshness import bump_generation

        with transaction.atomic():
            result = super().delete(*args, **kwargs)
            bump_generation(keys=True)
        return result
