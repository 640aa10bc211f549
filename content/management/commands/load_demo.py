from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the demo content pack (idempotent)."

    def handle(self, *args, **options):
        # The pack itself (vocabularies, components, plans, demo users) is written from the
        # seed articles in its own issue; until then there is nothing to load.
        self.stdout.write("The demo content pack is empty in this release; nothing to load.")
