"""How well the duplicate finder does on the labelled samples (issues.board.duplicate_samples).

    python manage.py duplicates_quality

Prints the recall (labelled duplicate pairs suggested) and the false suggestions per
10 issues, then each pair missed and each false suggestion with its reasons. Reads and
writes nothing in the database.
"""

from django.core.management.base import BaseCommand

from issues.board.duplicate_samples import measure
from issues.board.duplicates import find_duplicates


class Command(BaseCommand):
    help = "Recall and false suggestions of the duplicate finder on the labelled samples."

    def handle(self, *args, **options):
        reasons = {}

        def find(issues):
            suggestions = find_duplicates(issues)
            for suggestion in suggestions:
                key = tuple(sorted((suggestion.first.key, suggestion.second.key)))
                reasons[key] = "; ".join(str(reason) for reason in suggestion.reasons)
            return suggestions

        quality = measure(find)
        self.stdout.write(
            f"{quality.issues} issues, {quality.duplicates} labelled duplicate pairs\n"
            f"recall: {quality.found}/{quality.duplicates} = {quality.recall:.0%}\n"
            f"false suggestions: {len(quality.false)} = "
            f"{quality.false_per_ten:.2f} per 10 issues"
        )
        for first, second in quality.missed:
            self.stdout.write(f"  missed: {first} + {second}")
        for first, second in quality.false:
            self.stdout.write(f"  false:  {first} + {second} ({reasons[(first, second)]})")
