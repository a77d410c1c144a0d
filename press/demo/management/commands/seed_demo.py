from django.core.management.base import BaseCommand
from django.db import transaction

from press.badges.demo import seed_badges
from press.coverage.demo import seed_coverage
from press.demo.accreditation import seed_accreditation
from press.demo.checkin import seed_checkin
from press.demo.contacts import seed_contacts
from press.demo.event import seed_event, seed_next_edition
from press.demo.mailings import seed_mailings
from press.demo.releases import seed_releases
from press.demo.users import DEMO_PASSWORD, DEMO_STAFF, seed_users


class Command(BaseCommand):
    help = (
        "Load the demo press office: the 2024 edition and the next one, outlets, journalists, "
        "lists, releases, mailings, badge requests. Idempotent."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            created_users = seed_users()
            event = seed_event()
            seed_contacts()
            releases = seed_releases(event)
            seed_mailings(event, releases)
            seed_accreditation(event)
            seed_badges(event)
            seed_coverage(event)
            next_edition = seed_next_edition()
            seed_accreditation(next_edition)
            seed_badges(next_edition)
            seed_checkin(event)
            seed_checkin(next_edition)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {event.slug} (past edition) and {next_edition.slug} "
                "(accreditation open)."
            )
        )
        if created_users:
            self.stdout.write("Created back-office accounts:")
        else:
            self.stdout.write("Back-office accounts (already there):")
        for username, _first, _last, group in DEMO_STAFF:
            self.stdout.write(f"  {username:<10} {group or 'superuser'}")
        self.stdout.write(f"Password for each: {DEMO_PASSWORD}  (log in at /admin/)")
