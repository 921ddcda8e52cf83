"""A realistic RAKORTEK: 29 proposals from all seven regions to all six desks, five of
them imported from the spreadsheet template the way regency staff type numbers, three
near-duplicate pairs merged across regions at the desks, decisions and agreement points.

Built through the app's own paths where the figures come from (the import view, the
merge service, drafting points from priorities); ranks and decisions are written
directly, as the documents only read them (tests/documents/conftest.py).
"""

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from issues.agreement.services import agreement_points_draft_from_priorities
from issues.board.duplicates import issue_merge
from issues.forms import parse_number, parse_rupiah
from issues.models import Issue, IssueSequence
from issues.submission.spreadsheet import DATA_SHEET, XLSX_CONTENT_TYPE
from meetings.models import Desk
from rakortek.accounts.models import Role
from tests.factories import IssueFactory, UserFactory, field, region

D = Issue.Decision
M = 1_000_000  # juta
B = 1_000_000_000  # miliar

FIELDS = [
    "bina-marga",
    "sumber-daya-air",
    "penataan-ruang",
    "perumahan",
    "kawasan-permukiman",
    "jasa-konstruksi",
]

# (desk, region, title, place, district, volume, unit, cost in rupiah)
TYPED_IN = [
    (
        "bina-marga",
        "bangka",
        "Rekonstruksi Ruas Sungailiat - Belinyu",
        "Ruas Sungailiat - Belinyu km 21",
        "Riau Silip",
        "12,5",
        "km",
        38 * B,
    ),
    (
        "bina-marga",
        "belitung",
        "Penggantian Jembatan Aik Rusa",
        "Ruas Tanjung Pandan - Membalong km 38",
        "Membalong",
        "40",
        "m",
        16 * B,
    ),
    (
        "bina-marga",
        "belitung-timur",
        "Peningkatan Ruas Manggar - Gantung",
        "Ruas Manggar - Gantung km 8 - km 20",
        "Gantung",
        "12",
        "km",
        36 * B,
    ),
    (
        "bina-marga",
        "bangka-barat",
        "Drainase dan Bahu Jalan Mentok - Jebus",
        "Ruas Mentok - Jebus km 5",
        "Mentok",
        "3,6",
        "km",
        "Rp 7,2 M",
    ),
    (
        "bina-marga",
        "bangka-tengah",
        "Ruas Koba - Toboali Segmen Lubuk Besar",
        "Ruas Koba - Toboali segmen Lubuk Besar",
        "Lubuk Besar",
        "9,5",
        "km",
        28_500 * M,
    ),
    (
        "bina-marga",
        "bangka-selatan",
        "Ruas Koba - Toboali Segmen Air Gegas",
        "Ruas Koba - Toboali segmen Air Gegas",
        "Air Gegas",
        "11",
        "km",
        31 * B,
    ),
    (
        "sumber-daya-air",
        "pangkalpinang",
        "Pengendalian Banjir DAS Rangkui",
        "Sungai Rangkui hilir",
        "Rangkui",
        "4,2",
        "km",
        42_500 * M,
    ),
    (
        "sumber-daya-air",
        "bangka",
        "Pengendalian Banjir Hulu DAS Rangkui",
        "Sungai Rangkui hulu",
        "Pangkalan Baru",
        "2,8",
        "km",
        19 * B,
    ),
    (
        "sumber-daya-air",
        "bangka-selatan",
        "Pengaman Pantai Abrasi Tanjung Kerasak",
        "Pantai Tanjung Kerasak",
        "Tukak Sadai",
        "1,5",
        "km",
        24 * B,
    ),
    (
        "sumber-daya-air",
        "belitung",
        "Rehabilitasi Daerah Irigasi Cerucuk",
        "DI Cerucuk",
        "Badau",
        "350",
        "ha",
        8_750 * M,
    ),
    (
        "sumber-daya-air",
        "bangka-barat",
        "Kolong Pala sebagai Air Baku",
        "Kolong Pala",
        "Mentok",
        "1",
        "unit",
        12 * B,
    ),
    (
        "penataan-ruang",
        "bangka-tengah",
        "Sinkronisasi RTRW Kabupaten Bangka Tengah",
        "",
        "Koba",
        "1",
        "dokumen",
        850 * M,
    ),
    (
        "penataan-ruang",
        "belitung-timur",
        "Penyusunan RDTR Kawasan Manggar",
        "Kawasan Perkotaan Manggar",
        "Manggar",
        "1",
        "dokumen",
        1_200 * M,
    ),
    (
        "penataan-ruang",
        "pangkalpinang",
        "Penyelesaian Sertifikat Tanah Jalan Lingkar",
        "Jalan Lingkar Timur",
        "Gerunggang",
        "140",
        "bidang",
        2_100 * M,
    ),
    (
        "perumahan",
        "bangka",
        "Bedah Rumah Tidak Layak Huni Kabupaten Bangka",
        "",
        "Sungailiat",
        "250",
        "unit",
        5 * B,
    ),
    (
        "perumahan",
        "belitung",
        "Relokasi Rumah Terdampak Banjir Air Merbau",
        "Desa Air Merbau",
        "Tanjung Pandan",
        "60",
        "unit",
        9 * B,
    ),
    (
        "perumahan",
        "bangka-selatan",
        "Rumah Khusus Nelayan Toboali",
        "Kelurahan Teladan",
        "Toboali",
        "80",
        "unit",
        12_800 * M,
    ),
    (
        "perumahan",
        "pangkalpinang",
        "Peningkatan Kualitas RTLH Kota Pangkalpinang",
        "",
        "Taman Sari",
        "150",
        "unit",
        3 * B,
    ),
    (
        "kawasan-permukiman",
        "bangka-barat",
        "SPAM Regional Mentok - Simpang Teritip",
        "IPA Mentok",
        "Mentok",
        "50",
        "l/detik",
        27 * B,
    ),
    (
        "kawasan-permukiman",
        "bangka-tengah",
        "Penanganan Kawasan Kumuh Koba",
        "Kelurahan Simpang Perlang",
        "Koba",
        "14,3",
        "ha",
        6_400 * M,
    ),
    (
        "kawasan-permukiman",
        "belitung-timur",
        "IPLT Kabupaten Belitung Timur",
        "Desa Baru",
        "Manggar",
        "1",
        "unit",
        7 * B,
    ),
    (
        "kawasan-permukiman",
        "pangkalpinang",
        "Drainase Primer Kawasan Pasar Pangkalpinang",
        "Kawasan Pasar",
        "Pangkalbalam",
        "2,4",
        "km",
        11 * B,
    ),
    (
        "jasa-konstruksi",
        "bangka",
        "Sertifikasi Tenaga Kerja Konstruksi Kabupaten Bangka",
        "",
        "Sungailiat",
        "300",
        "orang",
        600 * M,
    ),
    (
        "jasa-konstruksi",
        "belitung",
        "Pelatihan Operator Alat Berat Belitung",
        "",
        "Tanjung Pandan",
        "120",
        "orang",
        480 * M,
    ),
]

# Typed into the import template by Bangka Tengah's staff: numbers as text the Indonesian
# way, and one volume as a number in a numeric cell.
IMPORTED = [
    (
        "Bina Marga",
        "Ruas Koba - Toboali Segmen Simpang Katis",
        "Ruas Koba - Toboali segmen Simpang Katis",
        "Simpang Katis",
        1.125,
        "km",
        "± Rp 6,5 M",
    ),
    (
        "Sumber Daya Air",
        "Normalisasi Sungai Kurau",
        "Sungai Kurau",
        "Koba",
        "2,75",
        "km",
        "Rp 750 juta",
    ),
    ("Perumahan", "Bedah Rumah Bangka Tengah", "", "Namang", "1.125", "unit", "Rp16.875.000.000"),
    ("Kawasan Permukiman", "Perluasan SPAM Koba", "IPA Koba", "Koba", "20", "l/detik", "Rp 9,25 M"),
    (
        "Jasa Konstruksi",
        "Sertifikasi Tukang Bangka Tengah",
        "",
        "Koba",
        "200",
        "orang",
        "Rp 400 juta",
    ),
]
# What the import must have understood: (volume, cost).
IMPORTED_FIGURES = [
    (Decimal("1.125"), Decimal(6_500 * M)),
    (Decimal("2.75"), Decimal(750 * M)),
    (Decimal("1125"), Decimal(16_875 * M)),
    (Decimal("20"), Decimal(9_250 * M)),
    (Decimal("200"), Decimal(400 * M)),
]

# Merged at the desks: (desk, titles of the originals; the first is the primary).
MERGES = [
    (
        "bina-marga",
        [
            "Ruas Koba - Toboali Segmen Lubuk Besar",
            "Ruas Koba - Toboali Segmen Air Gegas",
            "Ruas Koba - Toboali Segmen Simpang Katis",
        ],
    ),
    (
        "sumber-daya-air",
        ["Pengendalian Banjir DAS Rangkui", "Pengendalian Banjir Hulu DAS Rangkui"],
    ),
    ("perumahan", ["Bedah Rumah Tidak Layak Huni Kabupaten Bangka", "Bedah Rumah Bangka Tengah"]),
]

# After the merges, each desk's decisions in rank order (titles of the issues on the board).
DECISIONS = {
    "bina-marga": [
        ("Ruas Koba - Toboali Segmen Lubuk Besar", D.PRIORITY),
        ("Rekonstruksi Ruas Sungailiat - Belinyu", D.PRIORITY),
        ("Penggantian Jembatan Aik Rusa", D.RESERVE),
        ("Peningkatan Ruas Manggar - Gantung", D.NOT_PRIORITISED),
        ("Drainase dan Bahu Jalan Mentok - Jebus", D.REDIRECTED),
    ],
    "sumber-daya-air": [
        ("Pengendalian Banjir DAS Rangkui", D.PRIORITY),
        ("Pengaman Pantai Abrasi Tanjung Kerasak", D.PRIORITY),
        ("Rehabilitasi Daerah Irigasi Cerucuk", D.RESERVE),
        ("Kolong Pala sebagai Air Baku", D.NOT_PRIORITISED),
        ("Normalisasi Sungai Kurau", D.RESERVE),
    ],
    "penataan-ruang": [
        ("Sinkronisasi RTRW Kabupaten Bangka Tengah", D.PRIORITY),
        ("Penyusunan RDTR Kawasan Manggar", D.RESERVE),
        ("Penyelesaian Sertifikat Tanah Jalan Lingkar", D.NOT_PRIORITISED),
    ],
    "perumahan": [
        ("Bedah Rumah Tidak Layak Huni Kabupaten Bangka", D.PRIORITY),
        ("Relokasi Rumah Terdampak Banjir Air Merbau", D.PRIORITY),
        ("Rumah Khusus Nelayan Toboali", D.RESERVE),
        ("Peningkatan Kualitas RTLH Kota Pangkalpinang", D.NOT_PRIORITISED),
    ],
    "kawasan-permukiman": [
        ("SPAM Regional Mentok - Simpang Teritip", D.PRIORITY),
        ("Perluasan SPAM Koba", D.PRIORITY),
        ("Drainase Primer Kawasan Pasar Pangkalpinang", D.RESERVE),
        ("Penanganan Kawasan Kumuh Koba", D.NOT_PRIORITISED),
        ("IPLT Kabupaten Belitung Timur", D.RESERVE),
    ],
    "jasa-konstruksi": [
        ("Sertifikasi Tenaga Kerja Konstruksi Kabupaten Bangka", D.PRIORITY),
        ("Sertifikasi Tukang Bangka Tengah", D.RESERVE),
        ("Pelatihan Operator Alat Berat Belitung", D.NOT_PRIORITISED),
    ],
}


def build(meeting, secretariat, client):
    """Desks, proposals, the import, merges, decisions and points; returns the desks."""
    desks = {}
    for order, slug in enumerate(FIELDS, start=1):
        chair = UserFactory(username=f"kabid-{slug}", role=Role.DESK_HEAD)
        desks[slug] = Desk.objects.create(
            meeting=meeting, field=field(slug), chair=chair, room=f"Ruang {order}"
        )
    numbers = {slug: 0 for slug in FIELDS}
    for desk_slug, region_slug, title, place, district, volume, unit, cost in TYPED_IN:
        numbers[desk_slug] += 1
        desk = desks[desk_slug]
        IssueFactory(
            desk=desk,
            region=region(region_slug),
            proposing_office=f"Dinas PUPR {region(region_slug).name}",
            title=title,
            place=place,
            district=district,
            village="",
            volume=parse_number(volume),
            unit=unit,
            estimated_cost=parse_rupiah(cost) if isinstance(cost, str) else Decimal(cost),
            status=Issue.Status.VERIFIED,
            number=numbers[desk_slug],
            submitted_at=timezone.now(),
        )
    for desk in desks.values():
        IssueSequence.objects.update_or_create(
            desk=desk, defaults={"last_number": numbers[desk.field.slug]}
        )
    _import(meeting, client)
    Issue.objects.filter(meeting=meeting, status=Issue.Status.SUBMITTED).update(
        status=Issue.Status.VERIFIED
    )
    for desk_slug, titles in MERGES:
        originals = [Issue.objects.get(desk=desks[desk_slug], title=t) for t in titles]
        issue_merge(
            primary=originals[0],
            others=originals[1:],
            user=secretariat,
            reason="Satu ruas atau satu DAS yang diusulkan beberapa kabupaten/kota.",
        )
    for desk_slug, decided in DECISIONS.items():
        desk = desks[desk_slug]
        Issue.objects.filter(desk=desk).update(rank=None)
        for rank, (title, decision) in enumerate(decided, start=1):
            issue = Issue.objects.get(desk=desk, title=title, merged_into__isnull=True)
            Issue.objects.filter(pk=issue.pk).exclude(status=Issue.Status.WITHDRAWN).update(
                rank=rank,
                decision=decision,
                status=decision,
                decision_reason="" if decision == D.PRIORITY else "Sesuai musyawarah desk.",
                redirected_to="BPJN Kepulauan Bangka Belitung" if decision == D.REDIRECTED else "",
                score=Decimal(90 - rank * 7),
            )
        agreement_points_draft_from_priorities(desk=desk, user=secretariat)
    return desks


def _import(meeting, client):
    """Bangka Tengah's five rows, through the import pages as the secretariat enters them."""
    url = reverse("issues:import", kwargs={"slug": meeting.slug})
    template = client.get(reverse("issues:import_template", kwargs={"slug": meeting.slug}))
    workbook = load_workbook(io.BytesIO(template.content))
    sheet = workbook[DATA_SHEET]
    positions = {
        str(cell.value).replace("*", "").strip(): cell.column for cell in sheet[1] if cell.value
    }
    for row, (desk, title, place, district, volume, unit, cost) in enumerate(IMPORTED, start=2):
        values = {
            "Bidang": desk,
            "Judul Isu": title,
            "Instansi Pengusul": "DPUPR Kabupaten Bangka Tengah",
            "Permasalahan": f"Usulan {title} belum tertangani.",
            "Usulan Penanganan": f"Penanganan {title}.",
            "Dukungan yang Diharapkan dari Provinsi": "Alokasi APBD Provinsi.",
            "Kecamatan": district,
            "Lokasi/Ruas Jalan": place or None,
            "Volume": volume,
            "Satuan": unit,
            "Perkiraan Biaya (Rp)": cost,
            "Sumber Dana": "APBD Provinsi",
        }
        for header, value in values.items():
            sheet.cell(row=row, column=positions[header], value=value)
    out = io.BytesIO()
    workbook.save(out)
    upload = SimpleUploadedFile("isu-bangka-tengah.xlsx", out.getvalue(), XLSX_CONTENT_TYPE)
    preview = client.post(url, {"file": upload, "region": region("bangka-tengah").pk})
    assert preview.context["valid"] is True, [r.errors for r in preview.context["results"]]
    token = preview.context["confirm_form"].initial["token"]
    data = {"token": token, "submit": "on"}
    if preview.context["warning_count"]:
        data["checked"] = "on"
    response = client.post(reverse("issues:import_confirm", kwargs={"slug": meeting.slug}), data)
    assert response.status_code == 302


def proposals(meeting):
    """Every region's original proposal: what was typed or imported, merged or not."""
    return list(
        Issue.objects.filter(meeting=meeting, submitted_at__isnull=False)
        .exclude(status=Issue.Status.WITHDRAWN)
        .exclude(merged_issues__isnull=False)
        .distinct()
    )
