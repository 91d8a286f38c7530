"""``manage.py import_profiles PATH [--strict] [--university NAME] [--report PATH]``."""

from django.core.management.base import CommandError

from apps.accounts.models import Organisation, OrganisationKind
from apps.imports.command import ImportCommand
from apps.imports.csvio import CsvSource
from apps.imports.runner import BATCH_SIZE
from apps.talent.imports import profiles_import


class Command(ImportCommand):
    help = ("Import student profiles from CSV (external_id, full_name, email, school, major, graduation_year, city, "
            "skills, languages). Idempotent on external_id; new accounts claim access by password reset.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--university", metavar="NAME",
                            help="Link imported students to this university (an existing organisation).")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="Rows written per batch.")

    def run_import(self, **options):
        university = None
        if options.get("university"):
            university = Organisation.objects.filter(kind=OrganisationKind.UNIVERSITY,
                                                     name__iexact=options["university"].strip()).first()
            if university is None:
                raise CommandError(f"No university named {options['university']!r} is registered.", returncode=2)
        return profiles_import(rows_source=CsvSource.from_path(options["path"]), strict=options["strict"],
                               university=university, batch_size=options["batch_size"])
