from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from content.demo import PACK_DIR, PackError, ensure_demo_accounts, load_pack, read_pack


class Command(BaseCommand):
    help = (
        "Load the demo content pack (demo/) through the review workflow, with the demo "
        "accounts editor, reviewer, reviewer2, translator and admin. Development only; safe to "
        "run again: what is already in the database is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Give the demo accounts new random passwords and print them.",
        )

    def handle(self, *args, reset_passwords: bool = False, **options):
        try:
            pack = read_pack(PACK_DIR)
            with transaction.atomic():  # accounts and content, or nothing
                team, passwords = ensure_demo_accounts(reset_passwords=reset_passwords)
                report = load_pack(pack, team)
        except PackError as exc:
            raise CommandError(str(exc)) from None

        sections = (
            "contraindications",
            "goals",
            "pictures",
            "components",
            "plans",
            "locales",
            "vocabulary translations",
            "translations",
        )
        for section in sections:
            created = len(report.created.get(section, []))
            kept = len(report.kept.get(section, []))
            self.stdout.write(
                f"  {section}: {created} loaded, {kept} already there (left as they are)"
            )
        if report.changed:
            self.stdout.write(self.style.SUCCESS("Demo pack loaded through the workflow."))
        else:
            self.stdout.write("Demo pack already loaded; nothing changed.")
        if passwords:
            self.stdout.write(self.style.WARNING("Demo accounts (development only; shown once):"))
            for username, password in passwords.items():
                self.stdout.write(f"  {username:<10} {password}")
        else:
            self.stdout.write(
                "Demo accounts exist with the passwords printed when they were created "
                "(load_demo --reset-passwords prints new ones)."
            )
