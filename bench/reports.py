"""Benchmark a government report build against the configured DATABASE_URL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/demo100k .venv/bin/python bench/reports.py \
        [--period 2026-11] [--district X] [--programme ID] [--market Y] [--keep]

Creates a snapshot, builds it in this process (as the worker would), prints the time of each step, the
total and the size of the populations, then deletes the snapshot unless ``--keep``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentmatch.settings.base")
os.environ.setdefault("TALENTMATCH_EAGER_NOTICE", "0")


def main() -> int:
    import django

    django.setup()
    from django.db import connection

    from apps.reports.models import ReportSnapshot, current_period
    from apps.reports.services.build import build_snapshot

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", default="")
    parser.add_argument("--district", default="")
    parser.add_argument("--programme", default="")
    parser.add_argument("--market", default="")
    parser.add_argument("--keep", action="store_true", help="keep the snapshot (it then shows on the pages)")
    args = parser.parse_args()

    snapshot = ReportSnapshot.objects.create(period=args.period or current_period(), trigger="command",
                                             filter_district=args.district, filter_programme=args.programme,
                                             filter_market=args.market)
    began = time.perf_counter()
    snapshot = build_snapshot(snapshot)
    seconds = time.perf_counter() - began
    print(f"database: {connection.vendor} {connection.settings_dict.get('NAME')}")
    print(f"status: {snapshot.status} {snapshot.error}")
    meta = snapshot.data.get("meta", {})
    print(f"students: {meta.get('students')}  open vacancies: {meta.get('vacancies_open')}  "
          f"skills in demand: {len(snapshot.data.get('demand_supply', {}).get('skills', []))}")
    for step, spent in snapshot.timings.items():
        print(f"  {step:<14} {spent:8.2f} s")
    print(f"report build: {seconds:.2f} s")
    if not args.keep:
        snapshot.delete()
    return 0 if snapshot.status == "done" else 1


if __name__ == "__main__":
    raise SystemExit(main())
