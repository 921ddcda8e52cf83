from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from rakortek.demo import seed as demo


class Command(BaseCommand):
    help = "Create the demo meeting and accounts (idempotent; refused when DEBUG is off)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even when DEBUG is off (never on a production database).",
        )
        parser.add_argument(
            "--issues",
            type=int,
            default=0,
            metavar="N",
            help=(
                "Also generate issues until the demo meeting's desks hold at least N submitted "
                "issues between them (those already there count: running it again adds "
                "nothing), scored, ranked and partly decided, for trying the board at scale."
            ),
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates accounts with a known password and is refused when DEBUG is "
                "off. Run it with DEBUG=1 on a development database."
            )
        if options["issues"] < 0:
            raise CommandError("--issues must be zero or more.")
        # The demo's decisions and comments go through the real services, which notify
        # the regions by e-mail; demo people get no mail.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            users, meeting = demo.seed_all()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {meeting.title} ({meeting.slug})."))
        if options["issues"]:
            created = demo.seed_bulk(meeting, options["issues"])
            total = meeting.issues.filter(submitted_at__isnull=False).count()
            self.stdout.write(
                f"Generated issues: {created} new, {total} submitted issues in the meeting."
            )
        self.stdout.write(f"Demo accounts (password: {demo.DEMO_PASSWORD}):")
        for username, user in users.items():
            self.stdout.write(f"  {username:<26} {user.get_role_display()}")
