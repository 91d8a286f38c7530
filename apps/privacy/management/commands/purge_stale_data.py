"""Apply the retention policy (settings.PRIVACY_RETENTION): `manage.py purge_stale_data [--dry-run]`."""

from django.core.management.base import BaseCommand

from apps.privacy.retention import purge_stale_data


class Command(BaseCommand):
    help = "Purge data past its retention period (docs/security.md, Privacy). --dry-run only counts."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would be purged; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        counts = purge_stale_data(dry_run=dry_run)
        verb = "would purge" if dry_run else "purged"
        for name, count in counts.items():
            self.stdout.write(f"{verb} {name}: {count}")
