"""``manage.py api_keys create|list|revoke``: delivery API keys from the command line, as
an operator provisions them (the admin's API keys page does the same)."""

from __future__ import annotations

from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date

from content.models import DeliveryKey


def _expiry(value: str | None) -> datetime | None:
    if not value:
        return None
    day = parse_date(value)
    if day is None:
        raise CommandError(f"--expires takes a date as YYYY-MM-DD, not '{value}'.")
    expiry = timezone.make_aware(datetime.combine(day, time.max))
    if expiry <= timezone.now():
        raise CommandError(f"--expires {value} is not in the future.")
    return expiry


class Command(BaseCommand):
    help = (
        "Delivery API keys. 'create --name NAME' prints the new key once (only its hash is "
        "kept); 'list' shows each key's prefix, never the key; 'revoke PREFIX' stops a key "
        "at once, on every worker."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Make a key and print it, once.")
        create.add_argument("--name", required=True, help="Whose app it is, e.g. 'Sleep app'.")
        create.add_argument(
            "--rate", type=int, default=None, help="Requests per minute (default: 600)."
        )
        create.add_argument("--expires", help="The last day it works, YYYY-MM-DD.")
        actions.add_parser("list", help="Every key: prefix, name, rate, state.")
        revoke = actions.add_parser("revoke", help="Revoke a key by its prefix.")
        revoke.add_argument("prefix")

    def handle(self, *args, action: str, **options):
        getattr(self, f"_{action}")(**options)

    def _create(self, *, name: str, rate: int | None, expires: str | None, **_):
        key = DeliveryKey(name=name.strip(), expiry_date=_expiry(expires))
        if rate is not None:
            key.requests_per_minute = rate
        try:
            key.full_clean(exclude=["id", "prefix", "hashed_key"])
        except ValidationError as refusal:
            raise CommandError(
                "; ".join(f"{field}: {' '.join(m)}" for field, m in refusal.message_dict.items())
            ) from None
        row, secret = DeliveryKey.objects.create_key(
            name=key.name, expiry_date=key.expiry_date, requests_per_minute=key.requests_per_minute
        )
        self.stdout.write(secret)
        self.stderr.write(
            f"Made the key {row.prefix} ('{row.name}', {row.requests_per_minute} requests a "
            "minute). It is printed above once and not kept: give it to the app now. Apps send "
            "it as 'Authorization: Api-Key <key>'."
        )

    def _list(self, **_):
        keys = DeliveryKey.objects.order_by("created")
        for key in keys:
            state = "revoked" if key.revoked else "expired" if key.has_expired else "live"
            expiry = f"until {key.expiry_date:%Y-%m-%d}" if key.expiry_date else "no expiry"
            self.stdout.write(
                f"{key.prefix}  {state:8} {key.requests_per_minute:>6}/min  {expiry:16} {key.name}"
            )
        if not keys:
            self.stderr.write("No API keys yet: make one with 'api_keys create --name NAME'.")

    def _revoke(self, *, prefix: str, **_):
        key = DeliveryKey.objects.filter(prefix=prefix).first()
        if key is None:
            raise CommandError(f"No API key has the prefix '{prefix}' (see 'api_keys list').")
        if key.revoked:
            self.stderr.write(f"The key {prefix} ('{key.name}') was revoked already.")
            return
        key.revoked = True
        key.save()
        self.stderr.write(f"Revoked the key {prefix} ('{key.name}'): it stops working at once.")
