"""Write SVG markup for bar charts and the province map.

Only presentation attributes (fill, stroke, font-size): the Content-Security-Policy
forbids style attributes, and WeasyPrint reads these attributes as well as a browser.
Every piece of text is escaped here; the result is marked safe for the templates.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from rakortek.core.formatting import angka

FONT = "Liberation Sans, Arial, sans-serif"
WIDTH = 640
LABEL_WIDTH = 190  # the category names on the left
VALUE_WIDTH = 90  # the total on the right of each bar
ROW = 18
BAR = 12
TOP = 30  # room for the legend
LAND_FILE = Path(__file__).with_name("province_land.json")


@dataclass
class Series:
    label: str
    colour: str
    values: list  # one number per category


@dataclass
class Chart:
    """A chart and the table of its numbers (the same numbers, for screen readers)."""

    key: str
    title: str
    categories: list
    series: list  # Series
    stacked: bool = False
    # Two series, the second a part of the first (priority issues among all issues):
    # drawn inside the first's bar, one row per category.
    overlay: bool = False
    money: bool = False
    svg: SafeString = field(default=mark_safe(""))

    @property
    def rows(self):
        """(category, [formatted value per series]) for the table."""
        return [
            (name, [self.format(s.values[i]) for s in self.series])
            for i, name in enumerate(self.categories)
        ]

    @property
    def columns(self):
        return [s.label for s in self.series]

    def format(self, value) -> str:
        if self.money:
            return "Rp" + angka(value)
        return angka(value)

    def short(self, value) -> str:
        """A bar's label: money in millions or billions (juta, miliar), counts as they are."""
        if not self.money:
            return angka(value)
        value = Decimal(value)
        if value >= 10**9:
            return f"Rp{angka(value / 10**9, 1)} M"
        if value >= 10**6:
            return f"Rp{angka(value / 10**6, 1)} jt"
        return "Rp" + angka(value)


def bar_chart(chart: Chart) -> Chart:
    """Horizontal bars, one row per category: side by side, or stacked into one bar."""
    per_row = 1 if chart.stacked or chart.overlay else max(len(chart.series), 1)
    row_height = max(ROW, per_row * BAR + 8)
    legend, legend_lines = _legend(chart.series)
    top = TOP + (legend_lines - 1) * 16
    height = top + row_height * max(len(chart.categories), 1) + 6
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    totals = [sum(Decimal(s.values[i]) for s in chart.series) for i in range(len(chart.categories))]
    if chart.stacked:
        largest = max(totals, default=0)
    else:
        largest = max((Decimal(v) for s in chart.series for v in s.values), default=0)
    scale = Decimal(plot) / largest if largest else Decimal(0)
    parts = [_open(WIDTH, height, chart.title), legend]
    for i, name in enumerate(chart.categories):
        y = top + i * row_height
        parts.append(_text(LABEL_WIDTH - 6, y + row_height / 2 + 4, _clip(name, 30), "end"))
        x = Decimal(LABEL_WIDTH)
        for j, series in enumerate(chart.series):
            value = Decimal(series.values[i])
            width = value * scale
            bar_y = y + 4 if chart.stacked or chart.overlay else y + 4 + j * BAR
            bar_height = BAR - 2
            if chart.overlay and j:
                bar_y, bar_height = bar_y + 3, BAR - 8
            if width > 0:
                parts.append(
                    f'<rect x="{x:.1f}" y="{bar_y}" width="{width:.1f}" height="{bar_height}" '
                    f'fill="{series.colour}" stroke="#333" stroke-width="0.5">'
                    f"<title>{escape(name)}: {escape(series.label)} "
                    f"{escape(chart.format(value))}</title></rect>"
                )
            if chart.stacked:
                x += width
            elif chart.overlay:
                continue
            else:
                parts.append(
                    _text(float(x + width) + 4, bar_y + BAR - 4, chart.short(value), size=10)
                )
        if chart.stacked:
            parts.append(_text(float(x) + 4, y + 4 + BAR - 4, chart.short(totals[i]), size=10))
        if chart.overlay:
            whole, part = (Decimal(s.values[i]) for s in chart.series[:2])
            label = f"{chart.short(whole)} · {chart.series[1].label} {chart.short(part)}"
            parts.append(_text(LABEL_WIDTH + float(whole * scale) + 4, y + BAR, label, size=10))
    parts.append(
        f'<line x1="{LABEL_WIDTH}" y1="{top - 4}" x2="{LABEL_WIDTH}" y2="{height - 4}" '
        'stroke="#333" stroke-width="1"/>'
    )
    parts.append("</svg>")
    chart.svg = mark_safe("".join(parts))
    return chart


def _open(width, height, title, role="img") -> str:
    """A picture is role="img"; one holding links (the map's markers) is a "group",
    since an image may not contain interactive elements."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" class="figure-svg" '
        f'viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="{role}" aria-label="{escape(title)}" '
        f'font-family="{FONT}" font-size="11">'
    )


def _legend(series) -> tuple[str, int]:
    """The legend above the bars, wrapped onto more lines when it is wider than the chart;
    returns the markup and its number of lines."""
    parts = []
    x, y, lines = LABEL_WIDTH, 6, 1
    for s in series:
        width = 24 + 6 * len(s.label)
        if x > LABEL_WIDTH and x + width > WIDTH:
            x, y, lines = LABEL_WIDTH, y + 16, lines + 1
        parts.append(
            f'<rect x="{x}" y="{y}" width="12" height="12" fill="{s.colour}" stroke="#333" '
            'stroke-width="0.5"/>'
        )
        parts.append(_text(x + 16, y + 10, s.label, size=10))
        x += width
    return "".join(parts), lines


def _text(x, y, text, anchor="start", size=11, fill="#222") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{fill}">{escape(text)}</text>'
    )


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


# ---- The province map ----


@dataclass
class Marker:
    """One issue on the map: at its coordinates, or near its region's capital (approximate)."""

    lon: float
    lat: float
    colour: str
    label: str  # number and title, shown on hover and read by screen readers
    url: str = ""  # empty when the reader may not open the issue
    approximate: bool = False


@cache
def land():
    return json.loads(LAND_FILE.read_text())


def project(lon: float, lat: float, width: int = WIDTH) -> tuple[float, float]:
    """Plate carrée over the province's box: near the equator degrees are nearly square."""
    west, south, east, north = land()["bbox"]
    scale = width / (east - west)
    return ((lon - west) * scale, (north - lat) * scale)


def map_size(width: int = WIDTH) -> tuple[int, int]:
    west, south, east, north = land()["bbox"]
    return width, round((north - south) * width / (east - west))


def province_map(markers, *, title: str, places=(), legend=(), width: int = WIDTH) -> SafeString:
    """The islands, the capitals (`places`: (name, lon, lat)) and the issues' markers."""
    width, height = map_size(width)
    parts = [
        _open(width, height, title, role="group" if any(m.url for m in markers) else "img"),
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#e8f1f8"/>',
    ]
    for shape in land()["shapes"]:
        points = " ".join(
            "{:.1f},{:.1f}".format(*project(lon, lat, width)) for lon, lat in shape["ring"]
        )
        fill = "#f4efe1" if shape["province"] else "#e3e3e3"
        parts.append(f'<path d="M{points}Z" fill="{fill}" stroke="#8a7f65" stroke-width="0.8"/>')
    for name, lon, lat in places:
        x, y = project(lon, lat, width)
        parts.append(
            f'<path d="M{x - 3:.1f},{y:.1f}h6M{x:.1f},{y - 3:.1f}v6" stroke="#555" '
            'stroke-width="1"/>'
        )
        if x > width - 90:  # near the east edge: the name to the left of the cross
            parts.append(_text(x - 5, y + 12, name, "end", size=9, fill="#555"))
        else:
            parts.append(_text(x + 5, y + 12, name, size=9, fill="#555"))
    for marker in markers:
        parts.append(_marker(marker, width))
    y = height - 8 - 14 * len(legend)
    for colour, label in legend:
        parts.append(
            f'<circle cx="12" cy="{y + 5}" r="5" fill="{colour}" stroke="#222" stroke-width="0.8"/>'
        )
        parts.append(_text(22, y + 9, label, size=10))
        y += 14
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _marker(marker: Marker, width: int) -> str:
    x, y = project(marker.lon, marker.lat, width)
    title = f"<title>{escape(marker.label)}</title>"
    if marker.approximate:
        # A square with a dashed edge: placed at the region's capital, not where it is.
        shape = (
            f'<rect class="marker marker-approximate" x="{x - 4.5:.1f}" y="{y - 4.5:.1f}" '
            f'width="9" height="9" fill="{marker.colour}" stroke="#222" stroke-width="1" '
            f'stroke-dasharray="2 1.5">{title}</rect>'
        )
    else:
        shape = (
            f'<circle class="marker" cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{marker.colour}" '
            f'stroke="#222" stroke-width="1">{title}</circle>'
        )
    if marker.url:
        return f'<a href="{escape(marker.url)}">{shape}</a>'
    return shape
