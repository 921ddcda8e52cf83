"""Trigram similarity of two texts, as PostgreSQL's pg_trgm computes it.

pg_trgm lowercases a text, splits it into words of letters and digits, pads each
word with two spaces in front and one behind, and takes the set of three-character
substrings; `similarity(a, b)` is the number of trigrams the two sets share divided
by the number in their union. On PostgreSQL the duplicate finder asks the database
(issues.board.duplicates.database_similarities); elsewhere, and for plain objects, it uses
this function, which gives the same numbers for the same texts.
"""

import re
import unicodedata

_WORD = re.compile(r"[0-9a-z]+")


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()


def trigrams(text: str) -> frozenset[str]:
    result = set()
    for word in _WORD.findall(_plain(text)):
        padded = f"  {word} "
        result.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(result)


def similarity(a, b) -> float:
    """pg_trgm's similarity of two texts (or of two trigram sets), 0 to 1."""
    a = a if isinstance(a, frozenset) else trigrams(a)
    b = b if isinstance(b, frozenset) else trigrams(b)
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
