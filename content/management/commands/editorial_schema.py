from pathlib import Path

from django.core.management.base import BaseCommand
from django.test import RequestFactory
from django.urls import reverse

from content.editorial.openapi import EditorialSchemaView


def editorial_schema_json() -> bytes:
    """The editorial OpenAPI document as ``/api/manage/v1/schema/`` serves it in JSON: the
    same view renders it, asked with ``Accept: application/json``."""
    request = RequestFactory().get(reverse("manage-schema"), HTTP_ACCEPT="application/json")
    response = EditorialSchemaView.as_view()(request)
    response.render()
    if response.status_code != 200:
        raise RuntimeError(f"the schema view answered {response.status_code}: {response.content!r}")
    return response.content


class Command(BaseCommand):
    help = (
        "Write the editorial API's OpenAPI document (what /api/manage/v1/schema/ serves) as "
        "JSON, to --file or to standard output: clients/typescript generates its types from it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, help="Where to write it (default: stdout).")

    def handle(self, *args, file: Path | None = None, **options):
        document = editorial_schema_json()
        if file is None:
            self.stdout.write(document.decode())
        else:
            file.write_bytes(document)
            self.stderr.write(f"Wrote the editorial schema to {file}.")
