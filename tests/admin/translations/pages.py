"""What the translation screens' tests share: the pages' addresses, a logged-in client, the
messages a page shows, and the translation form's fields as a browser would post them."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from content.models import ContentItem, Version


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def item_url(item: ContentItem, name: str = "change") -> str:
    return reverse(f"admin:content_component_{name}", args=[item.pk])


def translation_item(source: Version, code: str) -> ContentItem:
    return ContentItem.objects.get(source=source.item, locale__code=code)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def text(response) -> str:
    return response.content.decode()


def posted_form(response, **changes) -> dict[str, str]:
    """What the translation page's form posts as it was rendered, with ``changes``."""
    form = response.context["forms"]
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else str(value) for name, value in data.items()}
    data.update(changes)
    return data
