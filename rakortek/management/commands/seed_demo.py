from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from rakortek import demo


class Command(BaseCommand):
    help = "Create the demo meeting and accounts (idempotent; refused when DEBUG is off)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even when DEBUG is off (never on a production database).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates accounts with a known password and is refused when DEBUG is "
                "off. Run it with DEBUG=1 on a development database."
            )
        users, meeting = demo.seed_all()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {meeting.title} ({meeting.slug})."))
        self.stdout.write(f"Demo accounts (password: {demo.DEMO_PASSWORD}):")
        for username, user in users.items():
            self.stdout.write(f"  {username:<26} {user.get_role_display()}")
