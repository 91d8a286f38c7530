"""``manage.py import_vacancies PATH [--strict] [--report PATH]`` (runs as an operator)."""

from apps.imports.command import ImportCommand
from apps.imports.csvio import CsvSource
from apps.imports.runner import BATCH_SIZE
from apps.jobs.imports import vacancies_import


class Command(ImportCommand):
    help = ("Import vacancies from CSV (external_id, firm, title, description, required_skills, optional_skills, "
            "languages, location, job_type, openings, ...). A missing firm is created, approved. Idempotent on "
            "(firm, external_id).")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="Rows written per batch.")

    def run_import(self, **options):
        return vacancies_import(rows_source=CsvSource.from_path(options["path"]), strict=options["strict"],
                                batch_size=options["batch_size"])
