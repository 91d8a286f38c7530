"""``manage.py build_report --period 2026-11 [--district X --programme ID --market Y] [--sync]``."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.reports.models import SnapshotStatus, current_period
from apps.reports.services.requests import report_build_now, report_request


class Command(BaseCommand):
    help = "Build a government report snapshot (queued for the worker, or here with --sync)."

    def add_arguments(self, parser):
        parser.add_argument("--period", default="", help="YYYY-MM or YYYY-Www (default: this month)")
        parser.add_argument("--district", default="", help="location code")
        parser.add_argument("--programme", default="", help="programme id")
        parser.add_argument("--market", default="", help="market code")
        parser.add_argument("--sync", action="store_true", help="build in this process and wait")

    def handle(self, *args, **options):
        period = options["period"] or current_period()
        filters = {key: options[key] for key in ("district", "programme", "market")}
        try:
            if options["sync"]:
                snapshot = report_build_now(period=period, filters=filters)
            else:
                snapshot = report_request(period=period, filters=filters, trigger="command")
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        if snapshot.status == SnapshotStatus.FAILED:
            raise CommandError(f"report {snapshot.pk} for {period} failed: {snapshot.error}")
        if snapshot.status == SnapshotStatus.DONE:
            self.stdout.write(f"report {snapshot.pk} for {period} built in {snapshot.timings.get('total')} s")
        else:
            self.stdout.write(f"report {snapshot.pk} for {period} queued ({snapshot.status})")
