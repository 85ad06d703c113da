"""The SVG chart helper: bars to scale, every label escaped, an empty chart says so."""

import re
import xml.etree.ElementTree as ET

from collector.charts import Bar, bar_chart, column_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_columns_are_to_scale_and_labelled():
    svg = column_chart([Bar("Mon", 100), Bar("Tue", 50), Bar("Wed", 0)], "Votes per day")
    root = ET.fromstring(str(svg))
    heights = [float(r.get("height")) for r in root.iter(f"{SVG}rect")]
    assert heights[0] == 2 * heights[1]
    assert heights[2] == 0
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"Mon", "Tue", "Wed"} <= set(texts)
    assert root.find(f"{SVG}title").text == "Votes per day"


def test_every_label_and_title_is_escaped():
    evil = '<script>alert("x")</script>&'
    for svg in (
        column_chart([Bar(evil, 3)], evil),
        bar_chart([Bar(evil, 3, color='red"/><script>', value_text=evil)], evil),
    ):
        assert "<script>" not in str(svg)
        root = ET.fromstring(str(svg))  # still well-formed XML
        assert root.find(f"{SVG}title").text == evil


def test_horizontal_bars_show_their_values():
    svg = str(bar_chart([Bar("ห้า", 30, value_text="30"), Bar("สี่", 10)], "คะแนน"))
    assert "ห้า" in svg
    assert re.search(r">30</text>", svg)
    assert re.search(r">10</text>", svg)


def test_an_empty_chart_says_so():
    assert "No votes yet" in column_chart([], "t", empty_text="No votes yet")
    assert "ยังไม่มี" in bar_chart([], "t", empty_text="ยังไม่มี")


def _axis(svg: str) -> list[tuple[float, float]]:
    """The value axis as a reader sees it: each gridline's label (a number) and its height."""
    root = ET.fromstring(svg)
    return [
        (float(t.text.replace(",", "")), float(t.get("y")) - 4)
        for t in root.iter(f"{SVG}text")
        if t.get("text-anchor") == "end"
    ]


def test_the_axis_says_each_gridline_s_value_exactly_in_whole_votes():
    """Seven votes on the busiest day: gridlines at 0, 2, 4, 6, 8 and so labelled (the trial
    saw gridlines at 2.5, 5 and 7.5 labelled "2", "5", "8"), and a bar of 6 votes reaches the
    gridline labelled 6."""
    svg = str(column_chart([Bar("Mon", 7), Bar("Tue", 6)], "Votes per day"))
    axis = _axis(svg)
    assert [value for value, _ in axis] == [0, 2, 4, 6, 8]
    root = ET.fromstring(svg)
    tue = [r for r in root.iter(f"{SVG}rect")][1]
    assert float(tue.get("y")) == dict(axis)[6]
    for busiest in (*range(1, 120), 999, 1001, 2500, 45_000):
        axis = _axis(str(column_chart([Bar("d", busiest)], "t")))
        values = [value for value, _ in axis]
        step = values[1]
        assert step == int(step) >= 1, busiest  # whole votes
        assert values == [step * i for i in range(len(values))], busiest
        assert values[-2] < busiest <= values[-1], busiest
        assert len(values) <= 5, busiest
        base, one = axis[0][1], axis[1][1]  # equal values apart are equally far apart
        for i, (_, y) in enumerate(axis):
            assert abs(y - (base - i * (base - one))) < 0.11, busiest
