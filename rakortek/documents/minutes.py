"""Suggested minutes text that needs the issues: counts per region and desk, and the decisions.

`prefill_minutes` is what the minutes page's "fill in automatically" calls
(settings.MINUTES_PREFILL): the meetings app's suggestions (attendance, agenda,
desks, times), plus what only this layer can read. The meetings service puts a
suggestion only into a section that is still empty.
"""

from issues.models import Issue
from meetings.minutes.prefill import prefill_from_meeting
from meetings.models import Minutes
from rakortek.documents.content import DeskResult, desk_results


def prefill_minutes(minutes: Minutes) -> dict[str, str]:
    suggestions = dict(prefill_from_meeting(minutes) or {})
    results = desk_results(minutes.meeting, minutes.desk if minutes.desk_id else None)
    counts = counts_text(results)
    if counts:
        suggestions["discussion"] = "\n\n".join(
            part for part in (suggestions.get("discussion", ""), counts) if part
        )
    decisions = decisions_text(results)
    if decisions:
        suggestions["decisions"] = decisions
    return suggestions


def counts_text(results: list[DeskResult]) -> str:
    """Issues discussed per desk and region (a joint issue counts for each of its regions)."""
    if not any(result.total for result in results):
        return ""
    lines = ["Jumlah isu strategis yang dibahas:"]
    for result in results:
        name = f"Desk {result.desk.field.name}"
        if not result.total:
            lines.append(f"- {name}: tidak ada isu.")
            continue
        regions = ", ".join(f"{region} {count}" for region, count in result.per_region)
        lines.append(f"- {name}: {result.total} isu ({regions}).")
    return "\n".join(lines)


def decisions_text(results: list[DeskResult]) -> str:
    """Each desk's decisions: the counts, the Prioritas issues by number, where redirected
    issues go. The Prioritas list itself is printed by the document, so it is not repeated."""
    parts = []
    for result in results:
        if not result.decisions:
            continue
        summary = ", ".join(f"{label} {count}" for label, count in result.decisions)
        lines = [f"Desk {result.desk.field.name}: {summary}."]
        if result.priorities:
            # The document prints the list itself (Hasil Desk): named here once, not again.
            codes = ", ".join(line.issue.code for line in result.priorities)
            lines.append(f"Isu Prioritas ({codes}) sebagaimana tercantum pada Hasil Desk.")
        redirected = [
            line for line in result.lines if line.issue.decision == Issue.Decision.REDIRECTED
        ]
        for line in redirected:
            lines.append(
                f"- {line.issue.code} {line.issue.title} dialihkan ke {line.issue.redirected_to}."
            )
        parts.append("\n".join(lines))
    return "\n\n".join(parts)
