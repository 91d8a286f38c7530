"""``manage.py weights``: list the weight sets, show one, put one in force, or roll back to the previous one."""

from django.core.management.base import BaseCommand, CommandError

from apps.matching import learning
from apps.matching.engine import DEFAULT_WEIGHTS
from apps.matching.engine.learn import COMPONENT_NAMES
from apps.matching.models import MatchRun, WeightSet


class Command(BaseCommand):
    help = (
        "Manage the versioned score weights. 'list' shows every set (* = in force); 'show VERSION' one set with its "
        "metrics; 'activate VERSION' puts a set in force ('defaults' for the engine's defaults); 'rollback' restores "
        "the weights in force before the current set. Changing weights re-scores everything unless --no-rematch."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "show", "activate", "rollback"])
        parser.add_argument("version", nargs="?")
        parser.add_argument("--no-rematch", action="store_true", help="do not re-score everything now")

    def handle(self, *args, action, version=None, no_rematch=False, **options):
        if action == "list":
            return self._list()
        if action == "show":
            return self._show(version)
        if action == "activate":
            if not version:
                raise CommandError("Name the version to activate (or 'defaults').")
            row = None
            if version != "defaults":
                row = WeightSet.objects.filter(version=version).first()
                if row is None:
                    raise CommandError(f"There is no weight set {version!r}.")
            before, after = learning.weights_activate(weight_set=row, reason="manage.py weights activate")
        else:
            try:
                before, after = learning.weights_rollback()
            except learning.LearningError as error:
                raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Weights in force: {after} (was {before})."))
        if not no_rematch:
            self.stdout.write("Re-match: " + learning.rematch_now("weights changed"))

    def _list(self):
        active = WeightSet.objects.filter(is_active=True).first()
        self.stdout.write(f"{'':2}{'version':<28}" + "".join(f"{n[:10]:>11}" for n in COMPONENT_NAMES)
                          + f"{'nDCG gain':>11}  created")
        marker = "*" if active is None else " "
        self.stdout.write(f"{marker:2}{DEFAULT_WEIGHTS.version + ' (engine)':<28}"
                          + "".join(f"{v:>11.4f}" for v in DEFAULT_WEIGHTS.as_tuple()))
        for row in WeightSet.objects.order_by("created_at", "pk"):
            gain = (row.metrics or {}).get("evaluation", {}).get("delta", {}).get("ndcg")
            self.stdout.write(f"{'*' if row.is_active else ' ':2}{row.version:<28}"
                              + "".join(f"{getattr(row, n):>11.4f}" for n in COMPONENT_NAMES)
                              + (f"{gain:>+11.4f}" if gain is not None else f"{'':>11}")
                              + f"  {row.created_at:%Y-%m-%d %H:%M}")
        last = MatchRun.objects.order_by("-created_at").first()
        if last:
            self.stdout.write(f"\nLast match run #{last.pk} ({last.kind}, {last.status}) used {last.weights_version}.")

    def _show(self, version):
        row = WeightSet.objects.filter(version=version).first() if version else \
            WeightSet.objects.filter(is_active=True).first()
        if row is None:
            raise CommandError("Name an existing version (see: manage.py weights list).")
        self.stdout.write(f"{row.version}{' (in force)' if row.is_active else ''}: {row.note}")
        for name in COMPONENT_NAMES:
            self.stdout.write(f"  {name:<12}{getattr(row, name):.4f}")
        evaluation = (row.metrics or {}).get("evaluation")
        if evaluation:
            for metric in ("ndcg", "recall", "mrr"):
                self.stdout.write(f"  {metric:<8} current {evaluation['current'][metric]:.4f} → candidate "
                                  f"{evaluation['candidate'][metric]:.4f}")
        if (row.metrics or {}).get("previous_active") is not None or row.activated_at:
            self.stdout.write(f"  replaced: {(row.metrics or {}).get('previous_active') or DEFAULT_WEIGHTS.version}")
