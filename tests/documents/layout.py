"""Reading a rendered PDF back as positioned words, to test how a page is laid out.

pdfplumber gives each word its page and box (in points from the top of the page).
"""

import io
from dataclasses import dataclass

import pdfplumber

MM = 72 / 25.4
# The running footer and the page number sit in the bottom margin (22 mm).
FOOTER_ZONE = 22 * MM
WATERMARK = "DRAF"


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    top: float
    bottom: float
    x0: float
    baseline: float  # from the top of the page, whatever the size of the type


def page_words(content: bytes) -> list[list[Word]]:
    """The body words of each page: the footer zone and the draft watermark left out."""
    pages = []
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            words = []
            for word in page.extract_words(return_chars=True):
                if word["top"] > page.height - FOOTER_ZONE:
                    continue
                if word["text"] == WATERMARK and word["bottom"] - word["top"] > 40:
                    continue
                baseline = page.height - word["chars"][0]["matrix"][5]
                words.append(
                    Word(number, word["text"], word["top"], word["bottom"], word["x0"], baseline)
                )
            pages.append(words)
    return pages


def find_phrase(pages: list[list[Word]], phrase: str, *, last: bool = False) -> list[Word]:
    """The words of `phrase`, in reading order, possibly across lines.

    Words are matched in the order pdfplumber returns them (top to bottom, then
    left to right), words of other columns may come between them, and a phrase
    broken over two lines is still found (its words then have different
    baselines). Of several matches, the most compact one is returned (the last
    of them with `last`).
    """
    wanted = phrase.split()
    best = None
    for words in pages:
        texts = [word.text for word in words]
        for start in range(len(texts)):
            if texts[start] != wanted[0]:
                continue
            found, position = [words[start]], start + 1
            for target in wanted[1:]:
                while position < len(texts) and texts[position] != target:
                    position += 1
                if position == len(texts):
                    break
                found.append(words[position])
                position += 1
            if len(found) != len(wanted):
                continue
            spread = (found[-1].baseline - found[0].baseline, found[0].page)
            if best is None or spread < best[0] or (last and spread[0] <= best[0][0]):
                best = (spread, found)
    if best is None:
        raise AssertionError(f"{phrase!r} not found in the PDF")
    return best[1]


def on_one_line(words: list[Word]) -> bool:
    return max(w.baseline for w in words) - min(w.baseline for w in words) < 0.5


def same_baseline(*words: Word) -> bool:
    return max(w.baseline for w in words) - min(w.baseline for w in words) < 0.5


def only_from(words: list[Word], vocabulary: set[str]) -> bool:
    """Whether every word of a page is one of `vocabulary` (a signature block, a QR box)."""
    return all(word.text in vocabulary for word in words)


def vocabulary(*texts: str) -> set[str]:
    return {word for text in texts for word in text.split()}
