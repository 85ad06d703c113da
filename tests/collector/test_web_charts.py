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
