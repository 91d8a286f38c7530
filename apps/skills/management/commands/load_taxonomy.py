"""``manage.py load_taxonomy``: (re)load the shipped skill taxonomy, apps/skills/data/taxonomy.json."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from apps.skills.services import SHIPPED_TAXONOMY, taxonomy_load_shipped


class Command(BaseCommand):
    help = "Load the shipped skill taxonomy (idempotent; --force reloads an unchanged version)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="reload even when this version is loaded")

    def handle(self, *args, force: bool = False, **options):
        if not SHIPPED_TAXONOMY.exists():
            raise CommandError(_("The shipped taxonomy file %(path)s is missing.") % {"path": SHIPPED_TAXONOMY})
        counts = taxonomy_load_shipped(only_if_changed=not force)
        if counts is None:
            self.stdout.write(_("The shipped taxonomy is already loaded (use --force to reload)."))
            return
        self.stdout.write(self.style.SUCCESS(", ".join(f"{name}: {value}" for name, value in counts.items())))
