"""Column widths of the documents' wide tables, from what the columns hold.

A column is at least as wide as its longest word (so no word is broken inside a
cell) and a column that never wraps (amounts, numbers) as wide as its longest
text. The width left is shared so that every wrapping column needs about the
same number of lines for its longer cells: no column sits half empty while
another makes the rows tall. Widths are measured with the shipped font's
metrics (Liberation Sans), the one the documents print with.
"""

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from PIL import ImageFont

FONTS = Path(settings.BASE_DIR) / "static" / "fonts"
# Metrics are read at this size and scaled to the table's font size.
METRIC_SIZE = 100
# A word longer than this many characters (a pasted link) may break: it does not
# get a column of its own.
LONGEST_WORD = 28
# Which of a column's cells it is balanced on (see _typical).
TYPICAL = 0.8
MM = 72 / 25.4  # points per millimetre


@dataclass
class Column:
    header: str
    texts: list = field(default_factory=list)
    wrap: bool = True  # False: the cell holds one line (an amount, a number)
    least: float = 0  # a width it never goes below, in points (a short label)


@cache
def _font(bold: bool):
    name = "LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf"
    return ImageFont.truetype(str(FONTS / name), METRIC_SIZE)


@cache
def _word_width(word: str, bold: bool) -> float:
    """Width of `word` at METRIC_SIZE points."""
    return _font(bold).getlength(word)


def _longest_word(texts, bold: bool) -> float:
    words = {word for text in texts for word in text.split() if len(word) <= LONGEST_WORD}
    return max((_word_width(word, bold) for word in words), default=0.0)


def _text_width(text: str) -> float:
    """Width of `text` on one line, at METRIC_SIZE points (a space counts as a word)."""
    return sum(_word_width(word, False) for word in text.split()) + _word_width(" ", False) * max(
        text.count(" "), 0
    )


def widths(
    columns: list[Column], *, table_mm: float, font_pt: float, padding_mm: float
) -> list[float]:
    """The columns' widths in percent of the table (summing to 100)."""
    scale = font_pt / METRIC_SIZE
    table = table_mm * MM
    padding = 2 * padding_mm * MM + 1  # both sides, and the rule
    least, load = [], []
    for column in columns:
        texts = [str(text) for text in column.texts if text]
        header = _longest_word([column.header], True) * scale
        if column.wrap:
            body = _longest_word(texts, False) * scale
            load.append(_typical(sorted(_text_width(text) for text in texts)) * scale)
        else:
            body = max((_text_width(text) for text in texts), default=0) * scale
            load.append(0.0)
        # 4% for what the metrics leave out (kerning, rounding).
        least.append(max(header, body, column.least) * 1.04 + padding)
    room = table - sum(least)
    if room <= 0:
        return _percent(least)
    # Lines per average cell: the smallest count at which the columns fit the table.
    low, high = 0.01, 1000.0
    for _ in range(60):
        lines = (low + high) / 2
        needed = sum(
            max(need, text / lines + padding) if text else need
            for need, text in zip(least, load, strict=True)
        )
        low, high = (lines, high) if needed > table else (low, lines)
    lines = high
    chosen = [
        max(need, text / lines + padding) if text else need
        for need, text in zip(least, load, strict=True)
    ]
    # What rounding left over goes to the wrapping columns, in proportion.
    spare = table - sum(chosen)
    wrapping = sum(width for width, text in zip(chosen, load, strict=True) if text)
    if spare > 0 and wrapping:
        chosen = [
            width + spare * width / wrapping if text else width
            for width, text in zip(chosen, load, strict=True)
        ]
    return _percent(chosen)


def _typical(sizes: list[float]) -> float:
    """A long cell of the column, not its longest: a row is as tall as its tallest cell,
    so the columns are balanced on their longer cells (the 80th percentile)."""
    if not sizes:
        return 0.0
    return sizes[min(len(sizes) - 1, int(len(sizes) * TYPICAL))]


def _percent(values: list[float]) -> list[float]:
    total = sum(values)
    return [round(value * 100 / total, 2) for value in values]
