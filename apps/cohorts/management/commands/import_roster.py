"""``manage.py import_roster PATH --cohort ID [--strict] [--report PATH]``."""

from django.core.management.base import CommandError

from apps.cohorts.imports import roster_import
from apps.cohorts.models import Cohort
from apps.imports.command import ImportCommand
from apps.imports.csvio import CsvSource
from apps.imports.runner import BATCH_SIZE


class Command(ImportCommand):
    help = ("Import a cohort roster from CSV (email_or_external_id, status, attendance, grade, completed_on): "
            "enroll existing students by account email or external id, and mark completions and grades in bulk.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--cohort", type=int, required=True, metavar="ID", help="The cohort's id.")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="Rows written per batch.")

    def run_import(self, **options):
        cohort = Cohort.objects.filter(pk=options["cohort"]).first()
        if cohort is None:
            raise CommandError(f"There is no cohort with id {options['cohort']}.", returncode=2)
        return roster_import(cohort=cohort, rows_source=CsvSource.from_path(options["path"]),
                             strict=options["strict"], batch_size=options["batch_size"])
