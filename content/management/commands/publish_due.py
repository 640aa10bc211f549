from django.core.management.base import BaseCommand

from content.workflow import publish_due


class Command(BaseCommand):
    help = (
        "Publish every approved version whose scheduled time has come, now. The job worker "
        "(manage.py worker) does this at each version's time and sweeps every minute; this "
        "command is the manual fallback."
    )

    def handle(self, *args, **options):
        published, refused = publish_due()
        for version in published:
            self.stdout.write(f"published {version.item.slug} v{version.number}")
        for version, reason in refused:
            self.stderr.write(f"refused {version.item.slug} v{version.number}: {reason}")
        self.stdout.write(f"{len(published)} published, {len(refused)} refused.")
        if refused:
            raise SystemExit(1)
