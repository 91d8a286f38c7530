"""``manage.py import_skills PATH --format esco|native [--strict] [--report PATH]``."""

from apps.imports.command import ImportCommand
from apps.skills.services import skills_import


class Command(ImportCommand):
    help = ("Import skills from ESCO's skills CSV (conceptUri, preferredLabel, altLabels) or the native JSON/CSV "
            "taxonomy format. Re-importing updates skills, never duplicates them.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--format", dest="fmt", choices=["esco", "native"], required=True,
                            help="esco: ESCO skills CSV; native: the shipped JSON shape or its CSV form.")

    def run_import(self, **options):
        return skills_import(path=options["path"], fmt=options["fmt"], strict=options["strict"])
