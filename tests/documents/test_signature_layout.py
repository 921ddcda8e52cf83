"""The signature component as an official reads it, tested on the rendered PDFs' word
positions: names of one row on one baseline and never broken, the same signing space,
the closing paragraph on the page of the signatures, and no page that holds only a
signature block, a QR box or a heading without its text."""

import pytest

from issues.agreement.services import agreement_point_create
from meetings.models import Signer
from rakortek.core.formatting import nip
from rakortek.documents import agreement as agreement_document
from rakortek.documents.catalog import SPECS
from rakortek.documents.rendering import RenderOptions, Signature, signature_block
from rakortek.documents.verification import PendingDocument
from tests.documents.layout import (
    find_phrase,
    on_one_line,
    only_from,
    page_words,
    same_baseline,
    vocabulary,
)

PARTIES = [
    ("Ir. Hendra Kurniawan, M.T.", "Kepala Dinas PUPRPRKP Provinsi Kepulauan Bangka Belitung"),
    ("Herman Susilo, S.T., M.T.", "Kepala DPUPR Kabupaten Bangka"),
    ("Ir. Yusuf Hamdani", "Kepala Dinas PUPR Kabupaten Belitung"),
    ("Dr. Ir. Muhammad Rizal Effendi, S.T., M.T.", "Kepala DPUPR Kabupaten Bangka Selatan"),
    ("Ir. Dedi Supriadi", "Kepala DPUPR Kabupaten Bangka Tengah"),
    ("Hasanudin, S.T.", "Kepala DPUPR Kabupaten Bangka Barat"),
    ("Agus Salim, S.T.", "Kepala DPUPR Kabupaten Belitung Timur"),
    ("Ir. Siti Rahmah, M.T.", "Kepala DPUPRPKP Kota Pangkalpinang"),
]
FINAL = PendingDocument(
    number="000.1.2/17/DPUPRPRKP/2022",
    version=1,
    verification_code="uji-tata-letak",
    verification_url="http://rakortek.example.go.id/v/uji-tata-letak/",
)
QR_BOX = (
    f"Dokumen final nomor {FINAL.number}, versi 1. Keaslian dokumen dapat diperiksa dengan "
    f"memindai kode QR atau membuka {FINAL.verification_url}"
)


@pytest.fixture
def parties(monday_meeting):
    for order, (name, position) in enumerate(PARTIES, start=1):
        Signer.objects.create(
            meeting=monday_meeting,
            document=Signer.Document.AGREEMENT,
            order=order,
            name=name,
            position=position,
            rank="Pembina Utama Muda (IV/c)" if order == 1 else "",
            nip=f"19{order:02d}0512200501200{order}",
        )
    return monday_meeting


def add_points(desk, user, count):
    for number in range(count):
        agreement_point_create(
            actor=user,
            desk=desk,
            data={
                "text": (
                    f"Butir uji {number + 1}: Pemerintah Provinsi dan Pemerintah Kabupaten "
                    "sepakat menangani ruas jalan provinsi yang rusak berat secara bertahap "
                    "sesuai kewenangan masing-masing."
                ),
                "responsible": "Dinas PUPRPRKP Provinsi Kepulauan Bangka Belitung",
                "due": "Tahun Anggaran 2023",
            },
        )


def render_agreement(meeting, *, final=None) -> bytes:
    return (
        SPECS["butir-kesepakatan"].render(meeting, None, RenderOptions.create(final=final)).content
    )


def signature_vocabulary(meeting) -> set[str]:
    texts = ["PARA PIHAK", QR_BOX]
    for signer in Signer.objects.filter(meeting=meeting):
        texts += [signer.name, signer.position + ",", signer.position, signer.rank]
        texts.append("NIP. " + nip(signer.nip))
    return vocabulary(*texts)


def test_names_of_one_row_share_a_baseline_and_never_break(parties, decided_desk, secretariat):
    add_points(decided_desk, secretariat, 2)
    pages = page_words(render_agreement(parties))
    block = signature_block([Signature(name=name) for name, _ in PARTIES], max_columns=3)
    assert [row.span for row in block.rows] == [3, 3, 2]
    start = 0
    for row in block.rows:
        names = [name for name, _ in PARTIES[start : start + row.span]]
        start += row.span
        placed = [find_phrase(pages, name) for name in names]
        for words in placed:
            assert on_one_line(words), f"{' '.join(w.text for w in words)} breaks"
        baselines = [words[0].baseline for words in placed]
        assert same_baseline(*(words[0] for words in placed)), f"{names} sit at {baselines}"
        # The same signing space: from the top of each block to its name.
        assert len({words[0].page for words in placed}) == 1


def test_nip_is_printed_in_its_groups(parties, decided_desk, secretariat):
    add_points(decided_desk, secretariat, 1)
    words = find_phrase(page_words(render_agreement(parties)), "NIP. 19010512 200501 2 001")
    assert on_one_line(words)


@pytest.mark.parametrize("count", range(1, 15))
def test_no_page_holds_only_signatures_or_the_qr_box(count, parties, decided_desk, secretariat):
    """However many points push the signatures down, the closing paragraph goes with
    them and the QR box never stands alone."""
    add_points(decided_desk, secretariat, count)
    pages = page_words(render_agreement(parties, final=FINAL))
    lonely = signature_vocabulary(parties)
    for number, words in enumerate(pages, start=1):
        assert words, f"page {number} of {count} points is empty"
        assert not only_from(words, lonely), f"page {number} of {count} points: {words[:8]}"
        # A heading never ends a page.
        last_line = [w.text for w in words if abs(w.bottom - words[-1].bottom) < 1]
        assert last_line[:1] != ["Bidang"], f"page {number} ends with a heading"
    closing = find_phrase(pages, agreement_document.closing())
    heading = find_phrase(pages, "PARA PIHAK")
    first_name = find_phrase(pages, PARTIES[0][0])
    assert closing[0].page == heading[0].page == first_name[0].page


def test_minutes_signatures_are_labelled_and_aligned(monday_meeting):
    from meetings.models import Minutes

    Minutes.objects.create(
        meeting=monday_meeting,
        chair_name="Ir. Hendra Kurniawan, M.T.",
        chair_position="Kepala Dinas PUPRPRKP Provinsi Kepulauan Bangka Belitung",
        note_taker_name="Nurhayati, S.E.",
        opening="Rapat dibuka.",
    )
    content = SPECS["notulen"].render(monday_meeting, None, RenderOptions.create()).content
    pages = page_words(content)
    taker = find_phrase(pages, "Nurhayati, S.E.", last=True)
    chair = find_phrase(pages, "Ir. Hendra Kurniawan, M.T.", last=True)
    assert same_baseline(taker[0], chair[0])
    labels = find_phrase(pages, "Notulis,"), find_phrase(pages, "Pimpinan Rapat,")
    assert same_baseline(labels[0][0], labels[1][0])
    # The note-taker stands left of the chair.
    assert taker[0].x0 < chair[0].x0
