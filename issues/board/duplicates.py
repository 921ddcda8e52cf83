"""Likely duplicates across regions within a desk, and merging them into one joint issue.

Finding (reads): two regions often bring the same problem to a desk, a flooded river
basin or a provincial road that crosses a regency boundary. A pair is suggested when

- their titles are alike: IDF-weighted Jaccard of the normalised title words
  >= TITLE_THRESHOLD (0.6), or
- their descriptions are alike (problem, current condition, proposed handling):
  the same measure, on the words few issues of the desk use, >= TEXT_THRESHOLD (0.7),
  unless both name places and those clearly differ (PLACES_DIFFER), or
- they name the same place or road segment, by the same measure on the place's names
  >= PLACE_THRESHOLD (0.6) ("Ruas Sungailiat - Belinyu km 21" and "Jalan
  Belinyu-Sungailiat" are one segment; bridges over one river in two desa are not),
  or the same kecamatan and desa.

- they name the same road section, whatever its segment: the route between the same two
  places ("Ruas Koba - Toboali Segmen Lubuk Besar" and "Jalan Koba - Toboali Segmen Air
  Gegas"), or the same river, coast, pond or bridge ("DAS Rangkui", "Sungai Rangkui
  hulu"), or
- they lie in the same kecamatan, or within NEAR_KM of each other by their coordinates,
  and their titles are alike by trigrams (pg_trgm's similarity, issues.board.trigrams) to at
  least NEAR_TRIGRAM.

Titles that each name a different region of the province ("Bedah rumah ... Kabupaten
Bangka" and "... Kabupaten Bangka Tengah") are each region's own programme, not one
problem: they are never suggested on the strength of their titles alone.

Words are lowercased, stripped of punctuation, digits and common Indonesian function
words (dan, di, yang, untuk, ...); "jalan" is kept, it tells a road from a river.
Each word weighs the square of its inverse document frequency within the desk, so
that words most issues of a field share ("peningkatan", "ruas") count little and names
count much; the thresholds were chosen on the demo and the generated bulk data so that
a changed word or two still matches while "Peningkatan ruas jalan Manggar - Gantung" and
"Peningkatan ruas jalan Sungailiat - Belinyu", or "Pelebaran Jalan Lingkar Timur" and
"Pelebaran Jalan Lingkar Barat", do not.

Only pairs from different regions are suggested, never drafts, withdrawn or already
merged issues. To stay fast for hundreds of issues, pairs are only compared when they
share one of the rarest words of their titles, descriptions or places, or the same
kecamatan and desa (prefix filtering: it skips only pairs that could not pass).

Merging (writes): `issue_merge` makes one joint issue out of several, `issue_unmerge`
undoes it. Both lock the desk's board state, refuse a locked desk or a stale board
version, keep ranks gap-free and leave an IssueEvent on every issue involved.
"""

import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from issues.board.selectors import RANKABLE_STATUSES, may_work_on_board
from issues.board.trigrams import similarity, trigrams
from issues.models import Issue, IssueEvent, Score
from issues.services import (
    IssueError,
    _board_for_write,
    _bump,
    _ranking,
    _take_number,
    _write_ranks,
    point_source_in,
)
from meetings.models import Region

S = Issue.Status

TITLE_THRESHOLD = 0.6
TEXT_THRESHOLD = 0.7
PLACE_THRESHOLD = 0.6
# Places given on both sides and less alike than this are different places.
PLACES_DIFFER = 0.2
# Description words used by more issues than this share of the desk (and more than
# COMMON_MIN_ISSUES) are left out of the description measure.
COMMON_SHARE = 0.1
COMMON_MIN_ISSUES = 5

STOP_WORDS = frozenset(
    """
    ada adalah agar akan akibat antara apabila atas atau bagi bahwa baik banyak belum
    beberapa berada bisa dalam dan dapat dari daripada dengan di dia hal hanya harus
    hingga ini itu jika juga kami karena ke kepada kita lain lagi lebih maka masih
    melalui menjadi mereka namun oleh pada para per perlu saat sama sampai sangat
    sebagai sebagian sebelum secara sedang sehingga sejak selama seluruh semua serta
    setelah setiap sudah supaya tahun tanpa telah terhadap tersebut tetapi tidak untuk
    yaitu yakni yang
    kab kabupaten kec kecamatan kel kelurahan desa kota provinsi km
    """.split()
)
# Words that say "a road segment" without saying which one.
PLACE_WORDS = frozenset("ruas jalan jl jln km sta segmen".split())
# Same kecamatan or coordinates this close, with titles this alike by trigrams.
NEAR_KM = 3.0
NEAR_TRIGRAM = 0.3

# The words of a title around a route "A - B" that are not the places' names.
ROUTE_STOP = frozenset(
    """
    ruas jalan jl jln provinsi nasional kabupaten kota peningkatan pelebaran rekonstruksi
    rehabilitasi pemeliharaan penanganan pembangunan preservasi perbaikan pengaspalan
    jembatan segmen km sta di pada dan ke kec kecamatan desa kel kelurahan antara
    """.split()
)
# Water bodies and bridges: the word that names the kind, then the name.
WATER_KINDS = {
    "sungai": "sungai",
    "das": "sungai",
    "muara": "sungai",
    "kuala": "sungai",
    "pantai": "pantai",
    "kolong": "kolong",
    "embung": "kolong",
    "danau": "kolong",
    "bendung": "bendung",
    "bendungan": "bendung",
    "irigasi": "irigasi",
    "jembatan": "jembatan",
}
# Words between a kind and its name: "Daerah Irigasi Desa Jelutung" is named Jelutung.
ADMIN = frozenset("desa kel kelurahan kec kecamatan dusun kampung kawasan".split())
# First words of two-word names ("Tanjung Kerasak", "Aik Rusa", "Air Gegas").
NAME_PREFIXES = frozenset("air aik tanjung teluk batu bukit pulau".split())
NAME_STOP = frozenset(
    "hulu hilir bagian tengah atas bawah dan di ke untuk sebagai dari yang kota kabupaten".split()
)
# The regions of the province as titles name them; two titles naming different ones
# are two regions' own programmes.
REGION_NAMES = (
    "bangka selatan",
    "bangka tengah",
    "bangka barat",
    "belitung timur",
    "pangkalpinang",
    "bangka",
    "belitung",
)

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def words(text: str) -> list[str]:
    """The meaningful words of `text`, normalised: lowercase, no accents, no punctuation,
    no digits, no stop words; a trailing "-nya" is dropped (jalannya -> jalan)."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    result = []
    for word in _NOT_WORD.sub(" ", text.lower()).split():
        if len(word) > 5 and word.endswith("nya"):
            word = word[:-3]
        if len(word) < 2 or word.isdigit() or word in STOP_WORDS:
            continue
        result.append(word)
    return result


def place_words(text: str) -> frozenset[str]:
    """A place or road segment as a set of names: order, kilometres and "ruas"/"jalan"
    do not matter, so "Ruas Sungailiat - Belinyu km 21" equals "Jalan Belinyu-Sungailiat"."""
    return frozenset(w for w in words(text) if w not in PLACE_WORDS and not _has_digit(w))


def _has_digit(word):
    return any(c.isdigit() for c in word)


def village_key(district: str, village: str) -> tuple[str, str] | None:
    """(kecamatan, desa) normalised, or None when the desa is not given."""
    village_words = " ".join(words(village))
    if not village_words:
        return None
    return (" ".join(words(district)), village_words)


def _plain_words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^0-9a-z-]+", " ", text.lower()).replace("-", " - ").split()


def route_keys(text: str) -> set[frozenset]:
    """Each route "A - B" a text names, as the unordered pair of its places' names:
    "Ruas Koba - Toboali Segmen Air Gegas" -> {{"koba", "toboali"}}."""
    tokens = _plain_words(text)
    keys = set()
    for index, token in enumerate(tokens):
        if token != "-":
            continue
        left = []
        for word in reversed(tokens[:index]):
            if word in ROUTE_STOP or word == "-" or _has_digit(word) or len(left) == 2:
                break
            left.insert(0, word)
        right = []
        for word in tokens[index + 1 :]:
            if word in ROUTE_STOP or word == "-" or _has_digit(word) or len(right) == 2:
                break
            right.append(word)
        if left and right:
            keys.add(frozenset((" ".join(left), " ".join(right))))
    return keys


def water_keys(text: str) -> set[tuple[str, str]]:
    """The rivers, coasts, ponds, weirs, irrigation areas and bridges a text names, as
    (kind, name): "DAS Rangkui" and "Sungai Rangkui hulu" are both ("sungai", "rangkui")."""
    tokens = [t for t in _plain_words(text) if t != "-"]
    keys = set()
    index = 0
    while index < len(tokens):
        kind = WATER_KINDS.get(tokens[index])
        if kind is None:
            index += 1
            continue
        start = index + 1
        while start < len(tokens) and (tokens[start] in WATER_KINDS or tokens[start] in ADMIN):
            kind = WATER_KINDS.get(tokens[start], kind)
            start += 1
        if start < len(tokens) and tokens[start] not in NAME_STOP and not _has_digit(tokens[start]):
            name = tokens[start]
            if name in NAME_PREFIXES and start + 1 < len(tokens):
                name = f"{name} {tokens[start + 1]}"
            keys.add((kind, name))
        index = start
    return keys


def region_mentions(text: str) -> frozenset[str]:
    """The regions of the province a title names ("... Kabupaten Bangka Tengah")."""
    plain = " " + " ".join(_plain_words(text)) + " "
    found = set()
    for name in REGION_NAMES:
        if f" {name} " in plain:
            found.add(name)
            plain = plain.replace(f" {name} ", " ")
    return frozenset(found)


def distance_km(a, b) -> float:
    """Great-circle distance between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = (math.radians(float(v)) for v in (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371 * math.asin(math.sqrt(h))


@dataclass
class _Profile:
    issue: object
    regions: frozenset
    title: frozenset
    text: frozenset
    place: frozenset
    village: tuple | None
    trigrams: frozenset = frozenset()
    routes: frozenset = frozenset()
    waters: frozenset = frozenset()
    district: str = ""
    point: tuple | None = None
    mentions: frozenset = frozenset()


@dataclass
class Suggestion:
    """Two issues that look like the same problem, how alike (0-1) and why."""

    first: object
    second: object
    score: float
    reasons: list = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def issues(self):
        return (self.first, self.second)


def _profile(issue, regions) -> _Profile:
    text = words(" ".join((issue.problem, issue.current_condition or "", issue.proposed_handling)))
    named = f"{issue.title} | {issue.place or ''}"
    latitude, longitude = getattr(issue, "latitude", None), getattr(issue, "longitude", None)
    return _Profile(
        issue=issue,
        regions=frozenset(regions),
        title=frozenset(words(issue.title)),
        text=frozenset(text),
        place=place_words(issue.place or ""),
        village=village_key(issue.district, issue.village or ""),
        trigrams=trigrams(issue.title),
        routes=frozenset(route_keys(named)),
        waters=frozenset(water_keys(named)),
        district=" ".join(words(issue.district or "")),
        point=(latitude, longitude) if latitude is not None and longitude is not None else None,
        mentions=region_mentions(issue.title),
    )


def _grid(point) -> tuple[int, int]:
    """A cell of about 5.5 km: points within NEAR_KM lie in the same or a next cell."""
    return (math.floor(float(point[0]) / 0.05), math.floor(float(point[1]) / 0.05))


def _weighted_jaccard(a: frozenset, b: frozenset, weight: dict) -> float:
    if not a or not b:
        return 0.0
    shared = sum(weight[w] for w in a & b)
    if not shared:
        return 0.0
    # Sums in another order can round just above 1.
    return min(1.0, shared / sum(weight[w] for w in a | b))


def find_duplicates(issues, regions_of=None, title_similarity=None) -> list[Suggestion]:
    """Likely duplicate pairs among `issues`, most alike first.

    `issues` are Issue-like objects (title, problem, current_condition,
    proposed_handling, district, village, place, region_id); `regions_of(issue)`
    gives every region an issue speaks for (a joint issue speaks for several), by
    default just its own. `title_similarity(a, b)` gives the trigram similarity of two
    issues' titles (the database's pg_trgm on PostgreSQL); by default issues.board.trigrams
    computes it. The caller chooses which issues take part.
    """
    regions_of = regions_of or (lambda issue: {issue.region_id})
    profiles = [_profile(issue, regions_of(issue)) for issue in issues]
    count = len(profiles)
    if count < 2:
        return []

    idf = _prepare(profiles)

    # Blocking by prefix filtering: a pair can only reach a threshold if it shares one of
    # the rarest words of each side (see _prefix), so only such pairs, and pairs with the
    # same kecamatan and desa, are compared at all. No pair that would pass is missed.
    postings = defaultdict(list)
    for index, profile in enumerate(profiles):
        for word in _prefix(profile.title, idf, idf, TITLE_THRESHOLD):
            postings[("title", word)].append(index)
        for word in _prefix(profile.text, idf, idf, TEXT_THRESHOLD):
            postings[("text", word)].append(index)
        for word in _prefix(profile.place, idf, idf, PLACE_THRESHOLD):
            postings[("place", word)].append(index)
        if profile.village:
            postings[("village", profile.village)].append(index)
        for key in profile.routes:
            postings[("route", key)].append(index)
        for key in profile.waters:
            postings[("water", key)].append(index)
        if profile.district:
            postings[("district", profile.district)].append(index)
        if profile.point is not None:
            postings[("grid", _grid(profile.point))].append(index)
    # A point near a cell's edge: its neighbours' points are candidates too.
    for index, profile in enumerate(profiles):
        if profile.point is None:
            continue
        x, y = _grid(profile.point)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                if dx or dy:
                    for other in postings.get(("grid", (x + dx, y + dy)), ()):
                        if other != index:
                            postings[("near", index, other)].extend((index, other))
    candidates = set()
    for members in postings.values():
        for i, j in combinations(members, 2):
            if i != j and not profiles[i].regions & profiles[j].regions:
                candidates.add((min(i, j), max(i, j)))

    suggestions = []
    for i, j in candidates:
        i, j = min(i, j), max(i, j)
        trigram = (
            title_similarity(profiles[i].issue, profiles[j].issue)
            if title_similarity is not None
            else None
        )
        suggestion = _compare(profiles[i], profiles[j], idf, trigram=trigram)
        if suggestion is not None:
            suggestions.append(suggestion)
    suggestions.sort(key=lambda s: (-s.score, _sort_key(s.first), _sort_key(s.second)))
    return suggestions


def _prepare(profiles) -> dict:
    """Each word's weight, the square of its (smoothed) inverse document frequency, so
    that names dominate and two titles built alike around different places are not
    taken for one problem. Descriptions also lose the words that many issues of the
    desk use (COMMON_SHARE): boilerplate ("saluran ... bocor dan pintu air rusak")
    around two different desa names is not one problem either."""
    count = len(profiles)
    document_frequency = defaultdict(int)
    for profile in profiles:
        for word in profile.text | profile.title | profile.place:
            document_frequency[word] += 1
    limit = max(COMMON_MIN_ISSUES, COMMON_SHARE * count)
    common = {w for w, df in document_frequency.items() if df > limit}
    for profile in profiles:
        profile.text = profile.text - common
    return {w: (math.log((1 + count) / (1 + df)) + 1) ** 2 for w, df in document_frequency.items()}


def _prefix(words: frozenset, order: dict, weight: dict, threshold: float) -> list[str]:
    """The rarest words of a set that carry more than (1 - threshold) of its weight.

    If two sets are alike to `threshold` or more (weighted Jaccard), their shared weight
    is at least `threshold` times the weight of each; so their shared words cannot all
    lie outside these prefixes, and the first shared word in the common order (rarest
    first) lies in both prefixes. Comparing only pairs whose prefixes meet therefore
    misses no pair above the threshold.
    """
    ordered = sorted(words, key=lambda w: (-order[w], w))
    remaining = sum(weight[w] for w in ordered)
    needed = threshold * remaining
    prefix = []
    for word in ordered:
        prefix.append(word)
        remaining -= weight[word]
        # Strictly below what a match needs, with room for rounding: a prefix one word
        # too long costs a comparison, one word too short could miss a pair.
        if remaining < needed * (1 - 1e-9):
            break
    return prefix


def _sort_key(issue):
    return (issue.number or 0, issue.pk or 0)


def _compare(a: _Profile, b: _Profile, idf, *, trigram=None) -> Suggestion | None:
    reasons = []
    signals = []
    # Two regions' own programmes, each naming its region, are not one problem.
    own_programmes = bool(a.mentions and b.mentions and a.mentions != b.mentions)
    title = _weighted_jaccard(a.title, b.title, idf)
    if title >= TITLE_THRESHOLD and not own_programmes:
        reasons.append(_("Similar titles (%(percent)s%%)") % {"percent": round(title * 100)})
        signals.append(title)
    text = _weighted_jaccard(a.text, b.text, idf)
    place = _weighted_jaccard(a.place, b.place, idf)
    # Alike descriptions of two clearly different places are one template filled in
    # twice, not one problem.
    elsewhere = a.place and b.place and place < PLACES_DIFFER
    if text >= TEXT_THRESHOLD and not elsewhere:
        reasons.append(_("Similar descriptions (%(percent)s%%)") % {"percent": round(text * 100)})
        signals.append(text)
    if place >= PLACE_THRESHOLD:
        a_issue, b_issue = a.issue, b.issue
        same = a_issue.place if len(a_issue.place) <= len(b_issue.place) else b_issue.place
        reasons.append(_("Same place or road segment: %(place)s") % {"place": same})
        signals.append(max(place, title, text, 0.75))
    if a.village and a.village == b.village:
        reasons.append(
            _("Same kecamatan and desa: %(district)s, %(village)s")
            % {"district": a.issue.district, "village": a.issue.village}
        )
        signals.append(max(title, text, 0.6))
    routes = a.routes & b.routes
    if routes:
        route = " - ".join(sorted(next(iter(routes)))).title()
        reasons.append(_("Same road section: %(route)s") % {"route": route})
        signals.append(max(title, 0.7))
    waters = a.waters & b.waters
    if waters:
        kind, name = sorted(waters)[0]
        reasons.append(_("Same %(kind)s: %(name)s") % {"kind": kind, "name": name.title()})
        signals.append(max(title, 0.7))
    if a.district == b.district or a.point is not None and b.point is not None:
        if trigram is None:
            trigram = similarity(a.trigrams, b.trigrams)
        near = None
        if a.point is not None and b.point is not None:
            near = distance_km(a.point, b.point)
        if trigram >= NEAR_TRIGRAM and not own_programmes:
            if a.district and a.district == b.district:
                reasons.append(
                    _("Same kecamatan (%(district)s), titles %(percent)s%% alike")
                    % {"district": a.issue.district, "percent": round(trigram * 100)}
                )
                signals.append(max(trigram, 0.6))
            elif near is not None and near <= NEAR_KM:
                reasons.append(
                    _("%(km)s km apart, titles %(percent)s%% alike")
                    % {"km": f"{near:.1f}".replace(".", ","), "percent": round(trigram * 100)}
                )
                signals.append(max(trigram, 0.6))
    if not reasons:
        return None
    first, second = sorted((a.issue, b.issue), key=_sort_key)
    return Suggestion(first=first, second=second, score=min(1.0, max(signals)), reasons=reasons)


# ---- Reading the desk ----

# Statuses an issue may be merged in: submitted and not waiting for the region's answer,
# decided or not, but not yet agreed or forwarded.
MERGEABLE_STATUSES = (
    S.SUBMITTED,
    S.VERIFIED,
    S.DISCUSSED,
    S.PRIORITY,
    S.RESERVE,
    S.NOT_PRIORITISED,
    S.REDIRECTED,
)


def mergeable_issues(desk):
    """The issues of `desk` that take part in duplicate detection and may be merged."""
    return (
        Issue.objects.filter(
            desk=desk,
            status__in=MERGEABLE_STATUSES,
            submitted_at__isnull=False,
            merged_into__isnull=True,
        )
        .select_related("region", "desk__field")
        .prefetch_related(
            Prefetch("joint_regions", queryset=Region.objects.order_by("name"), to_attr="others")
        )
        .order_by("number", "pk")
    )


def regions_of(issue) -> set[int]:
    """Every region an issue speaks for: its own and, for a joint issue, the others.
    `others` is joint_regions prefetched as a list (see mergeable_issues); without it,
    one query."""
    others = getattr(issue, "others", None)
    if others is None:
        others = issue.joint_regions.all()
    return {issue.region_id, *(r.pk for r in others)}


def database_similarities(issues) -> dict[tuple[int, int], float]:
    """pg_trgm's similarity of the titles of every pair of `issues` that reaches
    NEAR_TRIGRAM, by (smaller pk, larger pk), in one query; {} off PostgreSQL."""
    ids = [issue.pk for issue in issues]
    if connection.vendor != "postgresql" or len(ids) < 2:
        return {}
    table = connection.ops.quote_name(Issue._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT a.id, b.id, similarity(a.title, b.title) FROM {table} a "  # noqa: S608
            f"JOIN {table} b ON a.id < b.id "
            "WHERE a.id = ANY(%s) AND b.id = ANY(%s) AND similarity(a.title, b.title) >= %s",
            [ids, ids, NEAR_TRIGRAM],
        )
        return {(a, b): float(value) for a, b, value in cursor.fetchall()}


def desk_duplicates(desk) -> list[Suggestion]:
    """Likely duplicates in `desk`, in three queries whatever its size (four on
    PostgreSQL, whose pg_trgm gives the titles' trigram similarity)."""
    issues = list(mergeable_issues(desk))
    title_similarity = None
    if connection.vendor == "postgresql":
        similar = database_similarities(issues)

        def title_similarity(a, b):
            return similar.get((min(a.pk, b.pk), max(a.pk, b.pk)), 0.0)

    return find_duplicates(issues, regions_of=regions_of, title_similarity=title_similarity)


# ---- Merging (services) ----
#
# Merges are board writes: they go through the board's own lock, version check and
# rank writing in issues.services, so the rules (and the messages) are the same as
# for scores, ranks and decisions.


class MergeError(IssueError):
    """A merge or unmerge the rules refuse; `message` is shown to the user."""


# The content a joint issue takes from its primary; editable afterwards.
COPIED_FIELDS = (
    "title",
    "problem",
    "current_condition",
    "proposed_handling",
    "support_requested",
    "district",
    "village",
    "place",
    "latitude",
    "longitude",
    "volume",
    "unit",
    "estimated_cost",
    "funding_source",
    "authority",
    "land_readiness",
    "ded_readiness",
    "environmental_readiness",
    "plan_link",
    "priority_order",
    "score",
    "decision",
    "decision_reason",
    "redirected_to",
    "decided_at",
    "decided_by_id",
)


def may_merge(user, desk) -> bool:
    """The desk's chair and the secretariat merge; everyone else at most reads."""
    return may_work_on_board(user, desk)


def _event(issue, user, *, from_status="", to_status="", reason="", changed=(), detail=None):
    return IssueEvent(
        issue=issue,
        actor=user,
        kind=IssueEvent.Kind.MERGED,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        changed_fields=list(changed),
        detail=detail or {},
    )


def _joint_status(primary, originals):
    """The primary's status; but a merge with an issue the desk has already verified
    (or gone further with) does not send the problem back to "submitted"."""
    if primary.status == S.SUBMITTED and any(i.status in RANKABLE_STATUSES for i in originals):
        return S.VERIFIED
    return primary.status


@transaction.atomic
def issue_merge(
    *,
    primary: Issue,
    others,
    user,
    reason: str,
    expected_version: int | None = None,
) -> Issue:
    """Merge `primary` and `others` (same desk) into one new joint issue.

    The joint issue takes the primary's content, scores and decision, every proposing
    region (its own region is the primary's, the others in joint_regions), a new
    number, and the best rank of the originals (or the end of the ranking when none
    was ranked and the desk has a ranking). The originals point to it, leave the
    ranking and are set aside as Merged (Digabung), never as withdrawn: the regions did
    not pull them; `issue_unmerge` brings them back.
    `expected_version` is the board version the user saw (None: not checked).
    """
    desk = primary.desk
    if not may_merge(user, desk):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise MergeError(_("Write why these issues are merged."))
    board = _board_for_write(desk.pk, expected_version)
    ids = [primary.pk, *dict.fromkeys(o.pk for o in others if o.pk != primary.pk)]
    if len(ids) < 2:
        raise MergeError(_("Choose at least two issues to merge."))
    originals = {
        issue.pk: issue
        for issue in Issue.objects.select_for_update(of=("self",))
        .select_related("meeting", "desk__field", "region")
        .prefetch_related("joint_regions")
        .filter(pk__in=ids)
    }
    if len(originals) != len(ids):
        raise MergeError(_("One of the chosen issues no longer exists."))
    for issue in originals.values():
        if issue.desk_id != desk.pk:
            raise MergeError(_("Only issues of the same desk can be merged."))
        if issue.merged_into_id is not None or issue.status not in MERGEABLE_STATUSES:
            raise MergeError(
                _("%(code)s cannot be merged while its status is %(status)s.")
                % {"code": issue.code, "status": issue.get_status_display()}
            )
    source = point_source_in(list(originals.values()))
    if source:
        issue, point = source
        raise MergeError(
            _(
                "%(code)s is a source of agreement point %(number)s of this desk: take it "
                "out of that point before merging it."
            )
            % {"code": issue.code, "number": point.order}
        )
    primary = originals[primary.pk]
    ordered = [originals[pk] for pk in ids]

    joint = Issue.objects.create(
        meeting=primary.meeting,
        desk=desk,
        region=primary.region,
        status=_joint_status(primary, ordered),
        proposing_office=_offices(ordered),
        entered_by=user,
        submitted_at=min(i.submitted_at for i in ordered),
        number=_take_number(desk),
        **{name: getattr(primary, name) for name in COPIED_FIELDS},
    )
    regions = set().union(*(regions_of(issue) for issue in ordered))
    regions.discard(joint.region_id)
    joint.joint_regions.set(regions)
    Score.objects.bulk_create(
        Score(
            issue=joint,
            criterion_id=score.criterion_id,
            value=score.value,
            scored_by_id=score.scored_by_id,
            scored_at=score.scored_at,
        )
        for score in primary.scores.all()
    )

    old, clean = _ranking(desk.pk)
    remaining = [i for i in clean if i.pk not in originals]
    best = [i.rank for i in clean if i.pk in originals]
    if joint.status in RANKABLE_STATUSES and (best or clean):
        if best:
            remaining.insert(sum(1 for i in remaining if i.rank < min(best)), joint)
        else:
            remaining.append(joint)
    codes = [i.code for i in ordered]
    changes = _write_ranks(
        actor=user,
        old=old,
        new=remaining,
        reasons={pk: _("Merge of %(codes)s.") % {"codes": ", ".join(codes)} for pk in ids},
    )
    joint.rank = changes.get(joint.pk, (None, None))[1]

    events = [
        _event(
            joint,
            user,
            to_status=joint.status,
            reason=_("Joint issue of %(codes)s. %(reason)s")
            % {"codes": ", ".join(codes), "reason": reason},
            detail={"merged": codes},
        )
    ]
    for issue in ordered:
        events.append(
            _event(
                issue,
                user,
                from_status=issue.status,
                to_status=S.MERGED,
                reason=_("Merged into joint issue %(code)s. %(reason)s")
                % {"code": joint.code, "reason": reason},
                changed=["merged_into", "status"],
                detail={"merged_into": joint.code, "from_rank": issue.rank},
            )
        )
    Issue.objects.filter(pk__in=ids).update(
        merged_into=joint, status=S.MERGED, rank=None, updated_at=timezone.now()
    )
    IssueEvent.objects.bulk_create(events)
    _bump(board)
    return joint


def _offices(issues) -> str:
    offices = list(dict.fromkeys(issue.proposing_office for issue in issues))
    text = "; ".join(offices)
    max_length = Issue._meta.get_field("proposing_office").max_length
    return text if len(text) <= max_length else text[: max_length - 1] + "…"


@transaction.atomic
def issue_unmerge(
    *, joint: Issue, user, reason: str, expected_version: int | None = None
) -> list[Issue]:
    """Undo a merge: the originals come back with the status they had before it and take
    the joint issue's place in the ranking (in their former rank order, then by number;
    those not rankable in their status stay out of it); the joint issue is withdrawn and
    leaves the ranking. Returns the originals."""
    desk = joint.desk
    if not may_merge(user, desk):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise MergeError(_("Write why the merge is undone."))
    board = _board_for_write(desk.pk, expected_version)
    joint = (
        Issue.objects.select_for_update(of=("self",)).select_related("desk__field").get(pk=joint.pk)
    )
    originals = list(
        Issue.objects.select_for_update(of=("self",))
        .select_related("desk__field")
        .filter(merged_into=joint)
    )
    if not originals:
        raise MergeError(_("This issue is not a joint issue of a merge."))
    if joint.status not in MERGEABLE_STATUSES:
        raise MergeError(
            _("The merge cannot be undone while the joint issue's status is %(status)s.")
            % {"status": joint.get_status_display()}
        )
    before = _state_before_merge(originals)
    originals.sort(key=lambda i: (before[i.pk][1] is None, before[i.pk][1] or 0, i.number or 0))

    now = timezone.now()
    Issue.objects.filter(pk=joint.pk).update(status=S.WITHDRAWN, updated_at=now)
    for issue in originals:
        issue.status = before[issue.pk][0]
        issue.merged_into = None
        Issue.objects.filter(pk=issue.pk).update(
            merged_into=None, status=issue.status, updated_at=now
        )
    old, clean = _ranking(desk.pk)
    remaining = [i for i in clean if i.pk != joint.pk]
    if joint.rank is not None:
        position = sum(1 for i in remaining if i.rank < joint.rank)
        remaining[position:position] = [i for i in originals if i.status in RANKABLE_STATUSES]
    codes = [i.code for i in originals]
    changes = _write_ranks(
        actor=user,
        old=old,
        new=remaining,
        reasons={
            pk: _("Merge into %(code)s undone.") % {"code": joint.code}
            for pk in [joint.pk, *(i.pk for i in originals)]
        },
    )
    for issue in originals:
        issue.rank = changes.get(issue.pk, (None, None))[1]

    events = [
        _event(
            joint,
            user,
            from_status=joint.status,
            to_status=S.WITHDRAWN,
            reason=_("Merge undone. %(reason)s") % {"reason": reason},
            changed=["status"],
            detail={"unmerged": codes},
        )
    ]
    for issue in originals:
        events.append(
            _event(
                issue,
                user,
                from_status=S.MERGED,
                to_status=issue.status,
                reason=_("Merge into %(code)s undone. %(reason)s")
                % {"code": joint.code, "reason": reason},
                changed=["merged_into", "status"],
                detail={"unmerged_from": joint.code},
            )
        )
    IssueEvent.objects.bulk_create(events)
    _bump(board)
    return originals


def _state_before_merge(originals) -> dict[int, tuple[str, int | None]]:
    """(status, rank) of each original just before its latest merge, from its history."""
    latest = (
        IssueEvent.objects.filter(
            issue__in=originals, kind=IssueEvent.Kind.MERGED, to_status=S.MERGED
        )
        .values("issue_id")
        .annotate(last=Max("pk"))
        .values_list("last", flat=True)
    )
    events = {e.issue_id: e for e in IssueEvent.objects.filter(pk__in=list(latest))}
    result = {}
    for issue in originals:
        event = events.get(issue.pk)
        if event is None:  # history lost: back as submitted, unranked
            result[issue.pk] = (S.SUBMITTED, None)
        else:
            result[issue.pk] = (event.from_status or S.SUBMITTED, event.detail.get("from_rank"))
    return result
