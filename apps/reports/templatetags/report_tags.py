"""Template helpers for the report pages: bilingual labels, figures that may be suppressed, and the SVG charts
(``apps.reports.charts``) fed from a report's data layout (``apps.reports.services.build``)."""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from apps.reports import charts

register = template.Library()


def _label(row) -> str:
    if not isinstance(row, dict):
        return str(row)
    zh = (get_language() or "").startswith("zh")
    first, second = ("label_zh", "label_en") if zh else ("label_en", "label_zh")
    return str(row.get(first) or row.get(second) or row.get("code") or row.get("id") or "")


@register.filter
def label(row) -> str:
    """A report row's label in the active language (falling back to the other one, then the code)."""
    return _label(row)


@register.filter
def figure(value, kind: str = "") -> str:
    """A report figure for a table cell: suppressed counts as they are ("<5"), missing ones as "—".

    ``kind``: "pct" adds a per cent sign, "money" formats CNY, "index" two decimals, "days" one decimal.
    """
    if charts.is_suppressed(value):
        return str(value)
    number = charts.number(value)
    if number is None:
        return "—"
    if kind == "pct":
        return f"{number:.1f}%"
    if kind == "money":
        return f"¥{number:,.0f}"
    if kind == "index":
        return f"{number:+.2f}"
    if kind == "days":
        return f"{number:.1f}"
    return charts.default_format(number)


@register.filter
def is_suppressed(value) -> bool:
    return charts.is_suppressed(value)


def _svg(svg: str):
    # charts.py escapes every label and value itself (tests/reports/test_charts.py feeds it "<script>")
    return mark_safe(svg)  # noqa: S308  # nosec B308 B703


@register.simple_tag
def demand_supply_chart(rows, limit: int = 15, width: int = 480):
    """Paired bars: demand (openings) against supply (people) for the first ``limit`` rows."""
    rows = list(rows or [])[: int(limit)]
    items = [(_label(r), r.get("demand"), r.get("supply")) for r in rows]
    return _svg(charts.paired_bar_chart(items, title=_("Demand and supply"), series=(_("Demand (openings)"),
                                        _("Supply (people)")), empty=_("No data"), width=int(width)))


@register.simple_tag
def shortage_chart(rows, limit: int = 15, width: int = 480):
    """Bars of the shortage index of the rows short of people (index above zero), largest first."""
    short = [r for r in rows or [] if (charts.number(r.get("shortage_index")) or 0) > 0]
    short.sort(key=lambda r: -charts.number(r.get("shortage_index")))
    items = [(_label(r), r.get("shortage_index")) for r in short[: int(limit)]]
    return _svg(charts.bar_chart(items, title=_("Shortage index"), fmt=lambda v: f"{v:.2f}", color=charts.ACCENT,
                                 empty=_("No shortage"), width=int(width)))


@register.simple_tag
def count_chart(rows, key: str, title: str, limit: int = 15, width: int = 960):
    """Plain bars of ``row[key]`` for the first ``limit`` rows (e.g. untaught skills by demand)."""
    items = [(_label(r), r.get(key)) for r in list(rows or [])[: int(limit)]]
    return _svg(charts.bar_chart(items, title=title, empty=_("No data"), width=int(width)))


@register.simple_tag
def trend_chart(trend, metric: str = "shortage_index", limit: int = 6, width: int = 960):
    """One line per skill of ``trend`` across its periods, for ``metric`` (shortage_index, demand or supply)."""
    trend = trend or {}
    periods = list(trend.get("periods") or [])
    series = []
    for row in list(trend.get("skills") or [])[: int(limit)]:
        by_period = {p.get("period"): p.get(metric) for p in row.get("points") or []}
        series.append((_label(row), [by_period.get(period) for period in periods]))
    titles = {"shortage_index": _("Shortage index over time"), "demand": _("Demand over time"),
              "supply": _("Supply over time")}
    fmt = (lambda v: f"{v:.2f}") if metric == "shortage_index" else charts.default_format
    return _svg(charts.line_chart(periods, series, title=titles.get(metric, metric), fmt=fmt, empty=_("No data"),
                                  width=int(width), height=300 if int(width) > 600 else 240))


@register.simple_tag
def vacancy_funnel_chart(funnel, width: int = 480):
    """Open vacancies → with at least one qualified candidate → well covered."""
    funnel = funnel or {}
    some = [funnel.get("vacancies_well_covered"), funnel.get("vacancies_some")]
    with_any = sum(charts.number(v) or 0 for v in some) if not any(charts.is_suppressed(v) for v in some) else None
    stages = [(_("Open vacancies"), funnel.get("vacancies_open")),
              (_("With a qualified candidate"), with_any),
              (_("Well covered"), funnel.get("vacancies_well_covered"))]
    return _svg(charts.funnel_chart(stages, title=_("Vacancy coverage"), empty=_("No data"), width=int(width)))


@register.simple_tag
def candidate_funnel_chart(funnel, width: int = 480):
    """Qualified candidates → applications → interviews → offers → hires."""
    funnel = funnel or {}
    stages = [(_("Qualified candidates"), funnel.get("qualified_candidates")),
              (_("Applications"), funnel.get("applications")),
              (_("Interviews"), funnel.get("interviews")),
              (_("Offers"), funnel.get("offers")),
              (_("Hires"), funnel.get("hires"))]
    return _svg(charts.funnel_chart(stages, title=_("From match to hire"), empty=_("No data"), width=int(width)))


@register.simple_tag
def score_histogram_chart(buckets, title: str = "", width: int = 480):
    """Histogram of a report's ``score_histogram`` buckets (``low``, ``high``, ``candidates``)."""
    buckets = list(buckets or [])
    if not buckets:
        return _svg(charts.histogram([], [0.0], title=title or _("Match scores"), empty=_("No data"),
                                     width=int(width)))
    counts = [b.get("candidates") for b in buckets]
    edges = [float(b.get("low") or 0) for b in buckets] + [float(buckets[-1].get("high") or 1)]
    return _svg(charts.histogram(counts, edges, title=title or _("Match scores"), empty=_("No data"),
                                 width=int(width)))


@register.simple_tag
def run_histogram_chart(counts, title: str = "", width: int = 480):
    """Histogram of a match run's scores: ``counts`` in equal bins over [0, 1]."""
    counts = list(counts or [])
    edges = [round(i / len(counts), 4) for i in range(len(counts) + 1)] if counts else [0.0]
    return _svg(charts.histogram(counts, edges, title=title or _("Match scores"), empty=_("No data"),
                                 width=int(width)))


@register.simple_tag
def rate_target_chart(rows, limit: int = 12, width: int = 960):
    """Paired bars per training group: placement rate against its target (per cent)."""
    items = [(_label(r), r.get("placement_rate"), r.get("target_rate")) for r in list(rows or [])[: int(limit)]]
    has_target = any(charts.number(r[2]) is not None for r in items)
    if not has_target:
        return _svg(charts.bar_chart([(name, rate) for name, rate, _target in items], title=_("Placement rate"),
                                     fmt=lambda v: f"{v:.0f}%", color=charts.PALETTE[2], empty=_("No data"),
                                     width=int(width)))
    return _svg(charts.paired_bar_chart(items, title=_("Placement rate against target"),
                                        series=(_("Placement rate"), _("Target")), fmt=lambda v: f"{v:.0f}%",
                                        colors=(charts.PALETTE[2], "#9aa4b2"), empty=_("No data"),
                                        width=int(width)))


@register.inclusion_tag("reports/_exports.html", takes_context=True)
def export_links(context, section: str):
    """CSV and XLSX links for one section of the report on the page (none on the printable page)."""
    return {"snapshot": context.get("snapshot"), "section": section, "printing": context.get("printing"),
            "formats": ("csv", "xlsx")}
