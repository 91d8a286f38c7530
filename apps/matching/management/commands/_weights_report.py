"""Printing weights and evaluations for the learning commands."""

from apps.matching.engine.learn import COMPONENT_NAMES
from apps.matching.learning import METRICS


def print_weights(out, current, candidate) -> None:
    out.write(f"\n{'weight':<12}{current.version:>22}{candidate.version:>28}")
    for name, a, b in zip(COMPONENT_NAMES, current.as_tuple(), candidate.as_tuple(), strict=True):
        out.write(f"{name:<12}{a:>22.4f}{b:>28.4f}")


def print_evaluation(out, style, evaluation) -> None:
    k = evaluation.candidate_metrics.k
    labels = {"ndcg": f"nDCG@{k}", "recall": f"recall@{k}", "mrr": "MRR"}
    out.write(f"\n{'hold-out':<12}{'current':>22}{'candidate':>28}{'change':>12}{'relative':>10}")
    for metric in METRICS:
        now = getattr(evaluation.current_metrics, metric)
        new = getattr(evaluation.candidate_metrics, metric)
        rel = evaluation.relative(metric)
        out.write(f"{labels[metric]:<12}{now:>22.4f}{new:>28.4f}{new - now:>+12.4f}{rel:>+10.1%}")
    verdict = (style.SUCCESS(f"The candidate is better: nDCG@{k} {evaluation.delta():+.4f} "
                             f"({evaluation.relative():+.1%}).") if evaluation.better else
               style.WARNING(f"The candidate is not better: nDCG@{k} {evaluation.delta():+.4f}."))
    out.write("\n" + verdict)
