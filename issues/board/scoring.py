"""The weighted score of an issue, 0 to 100, from its criteria scores (1 to 5).

The formula, also shown on the board:

    score = 100 × Σ weight × (value − 1) / 4  ÷  Σ weight

A criterion scored 1 adds nothing and a criterion scored 5 adds its whole weight,
so an issue scored 1 on everything has 0 and one scored 5 on everything has 100:
the full range is used (with value / 5 the lowest possible score would be 20).
The weights of a meeting add up to 100, so usually the division changes nothing;
it keeps the score on 0..100 if they do not.

Everything is Decimal, rounded half up to two places only at the end, so the parts
shown on the board add up to the total (up to that last rounding).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

MIN_VALUE = 1
MAX_VALUE = 5
HUNDREDTH = Decimal("0.01")

FORMULA_TEXT = _(
    "Score = 100 × Σ (weight × (value − 1) ÷ 4) ÷ Σ weight. A criterion scored 1 adds "
    "nothing and one scored 5 adds its whole weight, so an issue scored 5 on every "
    "criterion has 100 and one scored 1 on every criterion has 0."
)


@dataclass(frozen=True)
class Part:
    """One criterion's contribution to the score."""

    criterion: object
    value: int | None
    points: Decimal | None  # None while the criterion is not scored
    max_points: Decimal

    @property
    def label(self) -> str:
        """The criterion's words for this value, e.g. "Sangat mendesak"."""
        return level_label(self.criterion, self.value)


def level_label(criterion, value) -> str:
    labels = criterion.level_labels or []
    if value is None or not MIN_VALUE <= value <= MAX_VALUE or len(labels) < value:
        return ""
    return labels[value - 1] or ""


def _points(weight, value, total_weight) -> Decimal:
    return (
        Decimal(100)
        * Decimal(weight)
        * Decimal(value - MIN_VALUE)
        / Decimal(MAX_VALUE - MIN_VALUE)
        / Decimal(total_weight)
    )


def score_parts(criteria: Iterable, values: Mapping[int, int]) -> list[Part]:
    """The contribution of each criterion, unrounded; `values` maps criterion id to 1..5."""
    criteria = list(criteria)
    total_weight = sum(c.weight for c in criteria)
    parts = []
    for criterion in criteria:
        value = values.get(criterion.pk)
        max_points = Decimal(100) * criterion.weight / total_weight if total_weight else Decimal(0)
        points = _points(criterion.weight, value, total_weight) if value is not None else None
        parts.append(Part(criterion, value, points, max_points))
    return parts


def weighted_score(criteria: Iterable, values: Mapping[int, int]) -> Decimal | None:
    """The score 0..100 with two decimals, or None unless every criterion is scored."""
    parts = score_parts(criteria, values)
    if not parts or any(p.points is None for p in parts):
        return None
    total = sum((p.points for p in parts), Decimal(0))
    return total.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
