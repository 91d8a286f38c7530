"""The server-side SVG charts: well-formed, accessible, proportional, escaped, and honest about suppression."""

import xml.etree.ElementTree as ET

import pytest

from apps.reports import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def bars(root: ET.Element) -> list[ET.Element]:
    return [el for el in root.iter(f"{SVG}rect") if "bar" in (el.get("class") or "").split()]


def texts(root: ET.Element) -> list[str]:
    return ["".join(el.itertext()) for el in root.iter(f"{SVG}text")]


def test_bar_chart_draws_one_bar_per_item_with_lengths_proportional_to_values():
    root = parse(charts.bar_chart([("Amazon", 40), ("TikTok Shop", 10), ("Customs", 20)], title="Shortage"))
    drawn = bars(root)
    assert len(drawn) == 3
    widths = [float(el.get("width")) for el in drawn]
    assert widths[0] == pytest.approx(widths[1] * 4, rel=1e-3)
    assert widths[2] == pytest.approx(widths[1] * 2, rel=1e-3)
    # every bar starts at the same axis
    assert len({el.get("x") for el in drawn}) == 1
    assert {"40", "10", "20"} <= set(texts(root))


def test_chart_is_accessible_and_names_a_cjk_capable_font():
    root = parse(charts.bar_chart([("亚马逊运营", 3)], title="技能缺口"))
    assert root.get("role") == "img"
    assert root.get("aria-label") == "技能缺口"
    assert root.find(f"{SVG}title").text == "技能缺口"
    assert "亚马逊运营: 3" in root.find(f"{SVG}desc").text
    assert "WenQuanYi Zen Hei" in root.get("font-family")
    assert root.get("font-family").rstrip().endswith("sans-serif")
    # every bar has its own tooltip
    assert bars(root)[0].find(f"{SVG}title").text == "亚马逊运营 — 3"


def test_labels_and_titles_are_escaped():
    evil = '<script>alert("x")</script> & co'
    svg = charts.bar_chart([(evil, 5)], title=evil)
    assert "<script>" not in svg
    root = parse(svg)  # still well-formed XML
    assert not list(root.iter(f"{SVG}script"))
    assert root.get("aria-label") == evil
    assert any(evil in t for t in texts(root))
    for svg in (charts.line_chart([evil], [(evil, [1])], title=evil), charts.funnel_chart([(evil, 3)], title=evil),
                charts.paired_bar_chart([(evil, 1, 2)], title=evil, series=(evil, "b")),
                charts.histogram([1], [0, 1], title=evil, edge_fmt=lambda e: evil)):
        assert "<script>" not in svg
        assert not list(parse(svg).iter(f"{SVG}script"))


def test_suppressed_values_are_hatched_bars_labelled_as_suppressed():
    root = parse(charts.bar_chart([("Big", 50), ("Small", "<5"), ("Zero", 0)], title="t"))
    big, small, zero = bars(root)
    assert "bar-suppressed" in small.get("class")
    assert small.get("fill").startswith("url(#") and small.get("fill").endswith("-hatch)")
    assert small.get("stroke-dasharray")
    # drawn as long as the largest value it may hide (5), never as a real count
    assert float(small.get("width")) == pytest.approx(float(big.get("width")) * 5 / 50, rel=1e-3)
    assert float(zero.get("width")) == 0
    assert "<5" in texts(root)
    pattern_id = small.get("fill")[len("url(#"):-1]
    assert root.find(f".//{SVG}pattern[@id='{pattern_id}']") is not None


def test_all_suppressed_chart_still_has_a_scale():
    root = parse(charts.bar_chart([("A", "<5"), ("B", "<5")], title="t"))
    assert all(float(el.get("width")) > 0 for el in bars(root))


def test_paired_bars_share_one_scale_and_have_a_legend():
    root = parse(charts.paired_bar_chart([("Amazon", 30, 10), ("Customs", "<5", 15)], title="Demand and supply",
                                         series=("Demand", "Supply")))
    drawn = bars(root)
    assert len(drawn) == 4
    assert [el.get("data-series") for el in drawn] == ["0", "1", "0", "1"]
    widths = [float(el.get("width")) for el in drawn]
    assert widths[0] == pytest.approx(widths[1] * 3, rel=1e-3)
    assert widths[3] == pytest.approx(widths[1] * 1.5, rel=1e-3)
    assert "bar-suppressed" in drawn[2].get("class")
    assert {"Demand", "Supply"} <= set(texts(root))


def test_line_chart_plots_each_point_and_breaks_at_suppressed_ones():
    root = parse(charts.line_chart(["2026-09", "2026-10", "2026-11", "2026-12"],
                                   [("Amazon", [10, 20, "<5", 40]), ("Customs", [0, 5, 10, 20])], title="Trend"))
    groups = root.findall(f"{SVG}g[@class='series']")
    assert len(groups) == 2
    amazon, customs = groups
    assert len(amazon.findall(f"{SVG}circle")) == 3
    assert len(amazon.findall(f"{SVG}polyline")) == 2  # 2026-09..10, then 2026-12 alone
    assert len(customs.findall(f"{SVG}polyline")) == 1
    assert any("<5" in "".join(t.itertext()) for t in amazon.findall(f"{SVG}text"))
    ys = [float(c.get("cy")) for c in customs.findall(f"{SVG}circle")]
    xs = [float(c.get("cx")) for c in customs.findall(f"{SVG}circle")]
    # higher values are higher up, and heights above the zero line are proportional
    assert ys[0] > ys[1] > ys[2] > ys[3]
    assert (ys[0] - ys[3]) == pytest.approx((ys[0] - ys[2]) * 2, rel=1e-3)
    assert xs == sorted(xs) and len(set(xs)) == 4
    assert "2026-11" in texts(root)


def test_funnel_narrows_with_values_and_shows_shares():
    root = parse(charts.funnel_chart([("Open vacancies", 200), ("With candidates", 100), ("Hired", "<5")],
                                     title="Funnel"))
    drawn = bars(root)
    assert len(drawn) == 3
    assert float(drawn[0].get("width")) == pytest.approx(float(drawn[1].get("width")) * 2, rel=1e-3)
    # centred on one axis
    centres = [float(el.get("x")) + float(el.get("width")) / 2 for el in drawn]
    assert max(centres) - min(centres) < 0.05
    assert "bar-suppressed" in drawn[2].get("class")
    assert "100 (50%)" in texts(root)


def test_histogram_bins_are_adjacent_and_heights_proportional():
    root = parse(charts.histogram([4, 8, 0, "<5"], [0.0, 0.25, 0.5, 0.75, 1.0], title="Scores"))
    drawn = bars(root)
    assert len(drawn) == 4
    heights = [float(el.get("height")) for el in drawn]
    assert heights[1] == pytest.approx(heights[0] * 2, rel=1e-3)
    assert heights[2] == 0
    assert "bar-suppressed" in drawn[3].get("class")
    xs = [float(el.get("x")) for el in drawn]
    assert xs == sorted(xs)
    # every bar stands on the same baseline
    baselines = [float(el.get("y")) + float(el.get("height")) for el in drawn]
    assert max(baselines) - min(baselines) < 0.05
    assert "0.5" in texts(root)
    with pytest.raises(ValueError):
        charts.histogram([1, 2], [0, 1], title="bad")


@pytest.mark.parametrize("render", [
    lambda: charts.bar_chart([], title="empty"),
    lambda: charts.paired_bar_chart([], title="empty", series=("a", "b")),
    lambda: charts.line_chart([], [], title="empty"),
    lambda: charts.funnel_chart([], title="empty"),
    lambda: charts.histogram([], [0.0], title="empty"),
])
def test_empty_charts_are_well_formed(render):
    root = parse(render())
    assert not bars(root)


def test_long_labels_are_truncated_but_kept_whole_in_the_tooltip():
    label = "跨境电商" * 30
    root = parse(charts.bar_chart([(label, 1)], title="t"))
    shown = [el for el in root.iter(f"{SVG}text") if el.get("class") == "label"][0]
    assert shown.find(f"{SVG}title").text == label
    visible = (shown.find(f"{SVG}title").tail or "")
    assert visible.endswith("…") and len(visible) < len(label)


def test_nice_ticks_cover_the_maximum():
    assert charts.nice_ticks(37) == [0, 10, 20, 30, 40]
    assert charts.nice_ticks(0) == [0.0, 1.0]
    assert charts.nice_ticks(1)[-1] >= 1


def test_line_chart_draws_negative_values_below_the_zero_line():
    root = parse(charts.line_chart(["a", "b", "c"], [("index", [-0.5, 0, 0.5])], title="Shortage index",
                                   fmt=lambda v: f"{v:.2f}"))
    ys = [float(c.get("cy")) for c in root.iter(f"{SVG}circle")]
    assert ys[0] > ys[1] > ys[2]
    assert ys[0] - ys[1] == pytest.approx(ys[1] - ys[2], rel=1e-3)
    assert "-0.50" in texts(root) and "0.00" in texts(root)
    assert charts.nice_ticks(0.5, 4, -0.5) == [-0.5, -0.25, 0, 0.25, 0.5]
