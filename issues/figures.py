"""An issue's figures: volume and cost, and for a joint issue the sum of its members.

A merge makes a new joint issue whose own volume and cost are a copy of the primary's;
what the regions proposed are the originals merged into it. So the figures of a joint
issue are the sums over its originals (recursively, a joint issue may itself have been
merged again), with each region's share kept for the breakdown. Volumes in different
units are listed side by side, never added ("12 km; 2 unit").

A joint issue carried over into a later year's meeting is one issue again (the lead
region's draft), but it keeps the breakdown: its own figures are the lead region's
share, and the other regions' shares are read from the joint issue it was carried
from (those originals no longer change).

`attach_figures(issues)` computes them for a list in one query (the merged-away issues
of the meetings involved; one more when some were carried over); `Issue.figures`
falls back to that for one issue.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from rakortek.core.formatting import angka, rupiah


def volume_text(volume, unit: str) -> str:
    """3,5 km: a volume written the Indonesian way, with its unit."""
    if volume is None:
        return ""
    volume = Decimal(volume)
    places = 0 if volume == volume.to_integral() else 3
    number = angka(volume, places)
    if places:
        number = number.rstrip("0")
    return f"{number} {unit or ''}".strip()


def _unit_key(unit: str) -> str:
    return " ".join((unit or "").lower().split())


@dataclass(frozen=True)
class Share:
    """One proposing region's part: the original issue it brought and its figures."""

    region: object
    issue: object
    volume: Decimal | None
    unit: str
    cost: Decimal | None

    @property
    def volume_text(self) -> str:
        return volume_text(self.volume, self.unit)

    @property
    def cost_text(self) -> str:
        return rupiah(self.cost)

    @property
    def region_short_name(self) -> str:
        """Bangka Tengah, Pangkalpinang: the name without "Kabupaten"/"Kota", for narrow cells."""
        name = getattr(self.region, "name", "")
        for prefix in ("Kabupaten ", "Kota "):
            if name.startswith(prefix):
                return name[len(prefix) :]
        return name


@dataclass
class Figures:
    """Volume(s) and cost of an issue; `shares` has one entry per original issue."""

    shares: list = field(default_factory=list)

    @property
    def is_joint(self) -> bool:
        return len(self.shares) > 1

    @property
    def cost(self) -> Decimal | None:
        costs = [share.cost for share in self.shares if share.cost is not None]
        return sum(costs, Decimal(0)) if costs else None

    @property
    def volumes(self) -> list[tuple[Decimal, str]]:
        """(sum, unit) per unit, in the order the units first appear."""
        sums: dict[str, list] = {}
        for share in self.shares:
            if share.volume is None:
                continue
            key = _unit_key(share.unit)
            if key not in sums:
                sums[key] = [Decimal(0), (share.unit or "").strip()]
            sums[key][0] += share.volume
        return [(total, unit) for total, unit in sums.values()]

    @property
    def volume(self) -> Decimal | None:
        """The one summed volume, or None when there is none or the units differ."""
        volumes = self.volumes
        return volumes[0][0] if len(volumes) == 1 else None

    @property
    def unit(self) -> str:
        volumes = self.volumes
        return volumes[0][1] if len(volumes) == 1 else ""

    @property
    def volume_text(self) -> str:
        return "; ".join(volume_text(total, unit) for total, unit in self.volumes)

    @property
    def cost_text(self) -> str:
        return rupiah(self.cost)

    @property
    def breakdown(self) -> list[Share]:
        """The shares of a joint issue (empty for a single issue: nothing to break down)."""
        return self.shares if self.is_joint else []


def _own_share(issue) -> Share:
    return Share(
        region=issue.region,
        issue=issue,
        volume=issue.volume,
        unit=issue.unit,
        cost=issue.estimated_cost,
    )


# What a merged-away original needs for its share and the breakdown's location.
MEMBER_FIELDS = (
    "pk",
    "meeting_id",
    "merged_into_id",
    "carried_over_from_id",
    "region_id",
    "number",
    "title",
    "place",
    "village",
    "district",
    "desk__field__code",
    "volume",
    "unit",
    "estimated_cost",
    "region__name",
    "region__kemendagri_code",
)


def _region_order(share: Share):
    return (getattr(share.region, "kemendagri_code", ""), share.issue.number or 0, share.issue.pk)


def attach_figures(issues) -> list:
    """Set `issue.figures` on every issue of `issues` (one query) and return them as a list.

    The issues need `region` loaded (select_related) for the breakdown to cost nothing.
    """
    from issues.models import Issue

    issues = list(issues)
    children = defaultdict(list)

    def load_members(meetings):
        merged = (
            Issue.objects.filter(meeting_id__in=meetings, merged_into__isnull=False)
            .select_related("region", "desk__field")
            .only(*MEMBER_FIELDS)
        )
        members = list(merged)
        for member in members:
            children[member.merged_into_id].append(member)
        return members

    members = load_members({issue.meeting_id for issue in issues}) if issues else []
    carried_from = {
        issue.carried_over_from_id
        for issue in [*issues, *members]
        if issue.carried_over_from_id is not None
    }
    if carried_from:
        load_members(Issue.objects.filter(pk__in=carried_from).values("meeting_id"))

    def shares_of(issue, seen=()):
        members = children.get(issue.pk)
        if members and issue.pk not in seen:
            result = []
            for member in members:
                result.extend(shares_of(member, (*seen, issue.pk)))
            return result
        own = _own_share(issue)
        source = issue.carried_over_from_id
        if source is None or not children.get(source) or source in seen:
            return [own]
        # A joint issue carried over: the lead region's share is the copy's own (its
        # draft may update it), the other regions' as the joint issue held them.
        carried = []
        for member in children[source]:
            carried.extend(shares_of(member, (*seen, issue.pk, source)))
        return [own, *(share for share in carried if share.issue.region_id != issue.region_id)]

    for issue in issues:
        issue.__dict__["figures"] = Figures(shares=sorted(shares_of(issue), key=_region_order))
    return issues
