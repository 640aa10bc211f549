"""``manage.py webhook_endpoints create|list``: webhook endpoints from the command line, with
the admin's own form checking what is given, and the secret printed once."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from content.admin.webhooks import SUBSCRIBABLE, WebhookEndpointForm
from content.events.signing import new_secret
from content.models import WebhookEndpoint


class Command(BaseCommand):
    help = (
        "Webhook endpoints. 'create --url URL --events a,b' makes one and prints its signing "
        "secret once; 'list' shows each endpoint, its events and whether it is enabled."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Make an endpoint and print its secret.")
        create.add_argument("--url", required=True, help="Where events are POSTed (HTTPS).")
        create.add_argument(
            "--events",
            default="all",
            help="Comma-separated event types, or 'all': "
            + ", ".join(value for value, _ in SUBSCRIBABLE),
        )
        create.add_argument("--description", default="")
        create.add_argument(
            "--owner",
            action="append",
            default=[],
            help="A username told by email if the endpoint is disabled (repeatable).",
        )
        actions.add_parser("list", help="Every endpoint.")

    def handle(self, *args, action: str, **options):
        getattr(self, f"_{action}")(**options)

    def _create(self, *, url: str, events: str, description: str, owner: list[str], **_):
        chosen = (
            [value for value, _ in SUBSCRIBABLE]
            if events.strip() == "all"
            else [e.strip() for e in events.split(",") if e.strip()]
        )
        owners = list(get_user_model().objects.filter(username__in=owner))
        unknown = sorted(set(owner) - {user.get_username() for user in owners})
        if unknown:
            raise CommandError(f"No such user: {', '.join(unknown)}.")
        form = WebhookEndpointForm(
            data={
                "url": url,
                "description": description,
                "event_types": chosen,
                "enabled": "on",
                "owners": [user.pk for user in owners],
            }
        )
        if not form.is_valid():
            raise CommandError(
                " ".join(
                    f"{field}: {' '.join(messages)}" for field, messages in form.errors.items()
                )
            )
        endpoint = form.save(commit=False)
        endpoint.secret = new_secret()
        endpoint.save()
        form.save_m2m()
        self.stdout.write(endpoint.secret)
        self.stderr.write(
            f"Made endpoint {endpoint.pk} for {endpoint.url} ({', '.join(endpoint.event_types)})."
            " Its signing secret is printed above once: give it to the receiver now, to verify "
            "each request's webhook-signature (Standard Webhooks)."
        )

    def _list(self, **_):
        endpoints = WebhookEndpoint.objects.order_by("pk")
        for endpoint in endpoints:
            state = "enabled" if endpoint.enabled else "disabled"
            self.stdout.write(
                f"{endpoint.pk:>4}  {state:8}  {endpoint.url}  {','.join(endpoint.event_types)}"
            )
        if not endpoints:
            self.stderr.write("No webhook endpoints yet: make one with 'webhook_endpoints create'.")
