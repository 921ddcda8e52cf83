"""Demo data: the 2022 RAKORTEK of Kepulauan Bangka Belitung and its people.

Every step is idempotent (get_or_create on natural keys), so running
`seed_demo` twice changes nothing.
"""

import hashlib
import random
import re
from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from issues.board.scoring import weighted_score
from issues.board.selectors import RANKABLE_STATUSES, proposal_key
from issues.models import (
    DeskState,
    Issue,
    IssueComment,
    IssueEvent,
    IssueSequence,
    RegionWindow,
    Score,
)
from meetings import areas
from meetings.models import DEFAULT_CRITERIA, AgendaItem, Criterion, Desk, Field, Meeting, Region
from rakortek.accounts.models import Role, User

DEMO_PASSWORD = "rakortek-demo"
WIB = ZoneInfo("Asia/Jakarta")

# (username, full name, position, field slug)
DESK_HEADS = [
    ("kabid-bina-marga", "Ir. Sutrisno Hadi, M.T.", "Kepala Bidang Bina Marga", "bina-marga"),
    ("kabid-sda", "Rahmat Hidayat, S.T., M.T.", "Kepala Bidang Sumber Daya Air", "sumber-daya-air"),
    (
        "kabid-penataan-ruang",
        "Dewi Anggraini, S.T., M.Sc.",
        "Kepala Bidang Penataan Ruang dan Pertanahan",
        "penataan-ruang",
    ),
    ("kabid-perumahan", "Hendra Saputra, S.T.", "Kepala Bidang Perumahan", "perumahan"),
    (
        "kabid-permukiman",
        "Yuliana Pratiwi, S.T., M.T.",
        "Kepala Bidang Kawasan Permukiman",
        "kawasan-permukiman",
    ),
    (
        "kabid-jasa-konstruksi",
        "Agus Salim, S.T.",
        "Kepala Bidang Jasa Konstruksi",
        "jasa-konstruksi",
    ),
]

# (username, full name, region slug, office)
DELEGATES = [
    ("delegasi-bangka", "Budi Santoso, S.T.", "bangka", "DPUPR Kabupaten Bangka"),
    ("delegasi-belitung", "Siti Rahmawati, S.T.", "belitung", "DPUPR Kabupaten Belitung"),
    (
        "delegasi-bangka-selatan",
        "Andi Firmansyah, S.T.",
        "bangka-selatan",
        "DPUTRP Kabupaten Bangka Selatan",
    ),
    (
        "delegasi-bangka-tengah",
        "Rina Marlina, S.T.",
        "bangka-tengah",
        "DPUPR Kabupaten Bangka Tengah",
    ),
    (
        "delegasi-bangka-barat",
        "Fajar Nugroho, S.T.",
        "bangka-barat",
        "DPUPR Kabupaten Bangka Barat",
    ),
    (
        "delegasi-belitung-timur",
        "Indra Gunawan, S.T.",
        "belitung-timur",
        "DPUPR Kabupaten Belitung Timur",
    ),
    ("delegasi-pangkalpinang", "Maya Sari, S.T.", "pangkalpinang", "DPUPRPKP Kota Pangkalpinang"),
]

AGENDA = [
    (time(8, 0), time(8, 30), "Registrasi peserta", "Sekretariat"),
    (time(8, 30), time(9, 0), "Pembukaan", "Penjabat Gubernur Kepulauan Bangka Belitung"),
    (time(9, 0), time(9, 45), "Paparan Kepala Dinas PUPRPRKP", "Kepala Dinas PUPRPRKP"),
    (time(10, 0), time(14, 0), "Diskusi desk per bidang", "Kepala Bidang"),
    (time(14, 0), time(15, 30), "Pleno hasil desk dan penyusunan draf butir kesepakatan", ""),
    (time(15, 30), time(16, 0), "Penutupan", "Sekretaris Dinas PUPRPRKP"),
]

ROOMS = {
    "bina-marga": "Ruang Auditorium",
    "sumber-daya-air": "Ruang Rapat SDA",
    "penataan-ruang": "Ruang Rapat Tata Ruang",
    "perumahan": "Ruang Rapat Perumahan",
    "kawasan-permukiman": "Ruang Rapat Cipta Karya",
    "jasa-konstruksi": "Ruang Rapat Jasa Konstruksi",
}


def _user(username, **fields):
    user, created = User.objects.get_or_create(username=username, defaults=fields)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def seed_people():
    """The demo accounts, all with the password DEMO_PASSWORD."""
    users = {
        "sekretariat": _user(
            "sekretariat",
            full_name="Nurhayati, S.E.",
            position="Kepala Subbagian Program",
            role=Role.SECRETARIAT,
            email="sekretariat@example.go.id",
            office="Dinas PUPRPRKP Provinsi Kepulauan Bangka Belitung",
        ),
        "pengamat": _user(
            "pengamat",
            full_name="Teguh Prasetyo, S.IP.",
            position="Analis Kebijakan, Biro Pemerintahan",
            role=Role.OBSERVER,
            email="biro.pemerintahan@example.go.id",
            office="Biro Pemerintahan Setda Provinsi Kepulauan Bangka Belitung",
        ),
    }
    for username, name, position, _field in DESK_HEADS:
        users[username] = _user(
            username,
            full_name=name,
            position=position,
            role=Role.DESK_HEAD,
            email=f"{username}@example.go.id",
            office="Dinas PUPRPRKP Provinsi Kepulauan Bangka Belitung",
        )
    regions = {r.slug: r for r in Region.objects.all()}
    for username, name, region_slug, office in DELEGATES:
        users[username] = _user(
            username,
            full_name=name,
            position="Perencana Ahli Muda",
            role=Role.DELEGATE,
            region=regions[region_slug],
            email=f"{username}@example.go.id",
            office=office,
        )
    return users


@transaction.atomic
def seed_meeting(users):
    """RAKORTEK Bidang PU 2022 (Senin 25 Juli 2022) and its RAKORGUB three days later."""
    rakortek, _ = Meeting.objects.get_or_create(
        slug="rakortek-2022",
        defaults={
            "kind": Meeting.Kind.RAKORTEK,
            "year": 2022,
            "title": "RAKORTEK Bidang PU 2022",
            "starts_at": datetime(2022, 7, 25, 8, 0, tzinfo=WIB),
            "ends_at": datetime(2022, 7, 25, 16, 0, tzinfo=WIB),
            "venue": "Ruang Auditorium Dinas PUPRPRKP",
            "mode": Meeting.Mode.HYBRID,
            "online_link": "https://zoom.example.go.id/j/2022072501",
            "submission_opens_at": datetime(2022, 7, 1, 8, 0, tzinfo=WIB),
            "submission_closes_at": datetime(2022, 7, 22, 16, 0, tzinfo=WIB),
            "status": Meeting.Status.ACTIVE,
            "created_by": users["sekretariat"],
        },
    )
    Meeting.objects.get_or_create(
        slug="rakorgub-2022",
        defaults={
            "kind": Meeting.Kind.RAKORGUB,
            "year": 2022,
            "title": "RAKORGUB Provinsi Kepulauan Bangka Belitung 2022",
            "starts_at": datetime(2022, 7, 28, 9, 0, tzinfo=WIB),
            "ends_at": datetime(2022, 7, 28, 15, 0, tzinfo=WIB),
            "venue": "Ruang Pasir Padi, Kantor Gubernur",
            "mode": Meeting.Mode.IN_PERSON,
            "status": Meeting.Status.ACTIVE,
            "follows": rakortek,
            "created_by": users["sekretariat"],
        },
    )
    for starts, ends, activity, person in AGENDA:
        AgendaItem.objects.get_or_create(
            meeting=rakortek,
            starts_at=starts,
            activity=activity,
            defaults={"ends_at": ends, "person": person},
        )
    fields = {f.slug: f for f in Field.objects.all()}
    for username, _name, _position, field_slug in DESK_HEADS:
        Desk.objects.get_or_create(
            meeting=rakortek,
            field=fields[field_slug],
            defaults={
                "chair": users[username],
                "note_taker": users["sekretariat"],
                "room": ROOMS[field_slug],
                "starts_at": time(10, 0),
                "ends_at": time(14, 0),
            },
        )
    for order, (name, description, weight, labels) in enumerate(DEFAULT_CRITERIA, start=1):
        Criterion.objects.get_or_create(
            meeting=rakortek,
            name=name,
            defaults={
                "description": description,
                "weight": weight,
                "order": order,
                "level_labels": labels,
            },
        )
    return rakortek


def seed_all():
    users = seed_people()
    meeting = seed_meeting(users)
    seed_issues(users, meeting)
    seed_board(users, meeting)
    seed_attendance(meeting)
    seed_points(meeting)
    seed_followup(meeting)
    return users, meeting


def seed_board(users, meeting):
    """The issues of each demo desk verified, scored, ranked and decided through the board
    services, so that every step has its history; in a desk of three or more the newest
    stays submitted. A desk already scored is left as it is."""
    from issues import services

    criteria = list(meeting.criteria.all())
    for desk in meeting.desks.select_related("chair", "field"):
        chair = desk.chair or users["sekretariat"]
        issues = list(
            desk.issues.filter(
                status__in=[Issue.Status.SUBMITTED, Issue.Status.VERIFIED], merged_into=None
            ).order_by("number")
        )
        if not issues or Score.objects.filter(issue__desk=desk).exists():
            continue

        def version(desk=desk):
            return DeskState.objects.get_or_create(desk=desk)[0].version

        if len(issues) >= 3:
            issues.pop()  # the newest stays submitted, for the desk to verify in the demo
        for issue in issues:
            if issue.status == Issue.Status.SUBMITTED:
                issue = services.issue_verify(actor=chair, issue=issue, version=version())
            # Stable, varied demo scores: derived from the title, not random.
            digest = hashlib.sha256(issue.title.encode()).digest()
            values = {c.pk: 2 + digest[i] % 4 for i, c in enumerate(criteria)}
            services.issue_scores_set(actor=chair, issue=issue, values=values, version=version())
        services.desk_apply_proposed_order(actor=chair, desk=desk, version=version())
        ranked = list(desk.issues.filter(rank__isnull=False).order_by("rank"))
        priority_places = max(1, (len(ranked) + 1) // 2)
        for issue in ranked:
            if issue.authority == Issue.Authority.CENTRAL:
                decision, reason, where = (
                    Issue.Status.REDIRECTED,
                    "Kewenangan pemerintah pusat; diteruskan melalui usulan provinsi.",
                    "BWS Bangka Belitung"
                    if desk.field.slug == "sumber-daya-air"
                    else "Kementerian PUPR",
                )
            elif issue.rank <= priority_places:
                decision, reason, where = Issue.Status.PRIORITY, "", ""
            else:
                decision, reason, where = (
                    Issue.Status.RESERVE,
                    "Menunggu kesiapan DED dan lahan; diusulkan kembali tahun berikutnya.",
                    "",
                )
            services.issue_decide(
                actor=chair,
                issue=issue,
                decision=decision,
                reason=reason,
                redirected_to=where,
                version=version(),
            )


# ---- Strategic issues ----

DRAFT, SUBMITTED, RETURNED, VERIFIED, WITHDRAWN = (
    "draft",
    "submitted",
    "returned",
    "verified",
    "withdrawn",
)

# One dict per issue, in each region's own priority order within a desk. Costs in rupiah.
DEMO_ISSUES = [
    # Kota Pangkalpinang
    {
        "region": "pangkalpinang",
        "field": "sumber-daya-air",
        "state": SUBMITTED,
        "title": "Pengendalian banjir DAS Rangkui di pusat Kota Pangkalpinang",
        "problem": (
            "Setiap hujan lebat di atas 100 mm kawasan Pasar Pagi, Jalan Masjid Jamik dan "
            "Kampung Opas tergenang 50-80 cm selama 6-12 jam. Kapasitas alur Sungai Rangkui "
            "menurun karena sedimentasi dan bangunan di sempadan sungai."
        ),
        "current_condition": (
            "Kolam retensi Kacang Pedang sudah berfungsi, tetapi alur hilir Sungai Rangkui "
            "belum dinormalisasi dan pintu air di muara sering tertutup sampah."
        ),
        "proposed_handling": (
            "Normalisasi Sungai Rangkui sepanjang 4,2 km, pembangunan tanggul dan pintu air "
            "di muara, serta penataan sempadan bersama BWS Bangka Belitung."
        ),
        "support_requested": (
            "Koordinasi provinsi dengan BWS Bangka Belitung untuk penanganan sungai dan "
            "dukungan APBD Provinsi untuk pembebasan lahan sempadan."
        ),
        "district": "Rangkui",
        "village": "Masjid Jamik",
        "place": "Sungai Rangkui ruas Jembatan Rangkui - muara Pangkalbalam",
        "latitude": "-2.128900",
        "longitude": "106.113400",
        "volume": "4.2",
        "unit": "km",
        "estimated_cost": 42_500_000_000,
        "funding_source": "apbn",
        "authority": "pusat",
        "land_readiness": "proses",
        "ded_readiness": "ada",
        "environmental_readiness": "proses",
        "plan_link": (
            "RPJMD Kota Pangkalpinang 2018-2023: Misi 3, pengurangan kawasan rawan banjir."
        ),
    },
    {
        "region": "pangkalpinang",
        "field": "kawasan-permukiman",
        "state": RETURNED,
        "question": (
            "Mohon dilengkapi data jumlah rumah tangga yang akan terlayani dan status lahan "
            "untuk IPAL komunal. Apakah sudah ada hibah lahan dari kelurahan?"
        ),
        "title": "Penanganan kawasan kumuh Kelurahan Ketapang",
        "problem": (
            "Kawasan permukiman nelayan di Ketapang seluas 12,5 ha masuk SK kumuh wali kota: "
            "jalan lingkungan rusak, drainase tidak terhubung dan sanitasi belum layak."
        ),
        "current_condition": (
            "Sekitar 40% rumah tangga belum memiliki jamban sehat; air limbah dibuang "
            "langsung ke saluran dan ke laut."
        ),
        "proposed_handling": (
            "Peningkatan jalan lingkungan, drainase, dan pembangunan IPAL komunal untuk "
            "kawasan kumuh Ketapang."
        ),
        "support_requested": (
            "Bantuan keuangan provinsi untuk IPAL komunal dan drainase lingkungan."
        ),
        "district": "Pangkalbalam",
        "village": "Ketapang",
        "place": "Kawasan nelayan Ketapang",
        "volume": "12.5",
        "unit": "ha",
        "estimated_cost": 8_750_000_000,
        "funding_source": "bankeu_provinsi",
        "authority": "kabupaten_kota",
        "land_readiness": "belum",
        "ded_readiness": "proses",
        "environmental_readiness": "belum",
        "plan_link": "RKPD Kota Pangkalpinang 2023: pengurangan luas kawasan kumuh.",
    },
    {
        "region": "pangkalpinang",
        "field": "bina-marga",
        "state": DRAFT,
        "title": "Peningkatan Jalan Lingkar Timur Pangkalpinang",
        "problem": (
            "Jalan Lingkar Timur menjadi jalur angkutan barang dari Pelabuhan Pangkalbalam, "
            "tetapi lebarnya hanya 6 m dan perkerasan rusak di beberapa titik."
        ),
        "current_condition": "Lebar 6 m, aspal retak buaya sepanjang 1,8 km.",
        "proposed_handling": "Pelebaran menjadi 2 x 7 m dan rekonstruksi perkerasan.",
        "support_requested": (
            "Penetapan sebagian ruas sebagai jalan provinsi dan dukungan APBD Provinsi."
        ),
        "district": "Gerunggang",
        "village": "Bukit Merapin",
        "place": "Jalan Lingkar Timur km 0 - km 3,6",
        "volume": "3.6",
        "unit": "km",
        "estimated_cost": 27_000_000_000,
        "funding_source": "apbd_provinsi",
        "authority": "belum_jelas",
        "land_readiness": "proses",
        "ded_readiness": "belum",
        "environmental_readiness": "belum",
    },
    # Kabupaten Bangka
    {
        "region": "bangka",
        "field": "bina-marga",
        "state": SUBMITTED,
        "title": "Rekonstruksi ruas jalan provinsi Sungailiat - Belinyu",
        "problem": (
            "Ruas Sungailiat - Belinyu rusak berat di beberapa segmen akibat angkutan hasil "
            "tambang dan perkebunan yang melebihi muatan sumbu terberat."
        ),
        "current_condition": (
            "Dari 48 km panjang ruas, 9,5 km dalam kondisi rusak berat dan berlubang; "
            "bahu jalan tergerus."
        ),
        "proposed_handling": "Rekonstruksi perkerasan 9,5 km dan perbaikan drainase jalan.",
        "support_requested": (
            "Penanganan oleh Dinas PUPRPRKP Provinsi karena merupakan jalan provinsi."
        ),
        "district": "Riau Silip",
        "village": "Deniang",
        "place": "Ruas Sungailiat - Belinyu km 21 - km 30,5",
        "latitude": "-1.740000",
        "longitude": "105.980000",
        "volume": "9.5",
        "unit": "km",
        "estimated_cost": 38_000_000_000,
        "funding_source": "apbd_provinsi",
        "authority": "provinsi",
        "land_readiness": "ada",
        "ded_readiness": "ada",
        "environmental_readiness": "tidak_perlu",
        "plan_link": "RPJMD Provinsi 2017-2022: peningkatan kemantapan jalan provinsi.",
    },
    {
        "region": "bangka",
        "field": "sumber-daya-air",
        "state": VERIFIED,
        "title": "Abrasi pantai Matras dan Rebo akibat tambang timah lepas pantai",
        "problem": (
            "Garis pantai Matras dan Rebo mundur hingga 15 m dalam lima tahun terakhir; "
            "kegiatan tambang timah lepas pantai mempercepat abrasi dan mengancam jalan "
            "serta permukiman nelayan."
        ),
        "current_condition": (
            "Sebagian jalan pantai sudah tergerus ombak; belum ada bangunan pengaman."
        ),
        "proposed_handling": "Pembangunan revetmen dan pemecah gelombang sepanjang 1,5 km.",
        "support_requested": (
            "Fasilitasi provinsi kepada BWS Bangka Belitung dan pengaturan zona tambang laut "
            "dalam RZWP3K."
        ),
        "district": "Sungailiat",
        "village": "Matras",
        "place": "Pantai Matras - Pantai Rebo",
        "latitude": "-1.815000",
        "longitude": "106.145000",
        "volume": "1.5",
        "unit": "km",
        "estimated_cost": 31_500_000_000,
        "funding_source": "apbn",
        "authority": "pusat",
        "land_readiness": "ada",
        "ded_readiness": "proses",
        "environmental_readiness": "proses",
    },
    {
        "region": "bangka",
        "field": "perumahan",
        "state": DRAFT,
        "title": "Rehabilitasi rumah tidak layak huni di Kecamatan Merawang",
        "problem": (
            "Terdapat 312 unit rumah tidak layak huni (RTLH) milik keluarga miskin di Merawang."
        ),
        "proposed_handling": "Peningkatan kualitas 120 unit RTLH tahun 2023.",
        "support_requested": "Alokasi bantuan stimulan perumahan swadaya dari provinsi.",
        "district": "Merawang",
        "village": "Jada Bahrin",
        "volume": "120",
        "unit": "unit",
        "estimated_cost": 2_400_000_000,
        "funding_source": "apbd_provinsi",
        "authority": "provinsi",
        "land_readiness": "ada",
        "ded_readiness": "tidak_perlu",
        "environmental_readiness": "tidak_perlu",
    },
    # Kabupaten Belitung
    {
        "region": "belitung",
        "field": "sumber-daya-air",
        "state": SUBMITTED,
        "title": "Penyediaan air baku Kolong Kaolin untuk SPAM Tanjung Pandan",
        "problem": (
            "Pada musim kemarau debit sumber air baku PDAM Tanjung Pandan turun sehingga "
            "pelayanan air bergilir; kolong bekas tambang kaolin berpotensi sebagai air baku."
        ),
        "current_condition": (
            "Kolong Kaolin seluas 18 ha belum dimanfaatkan; kualitas air perlu diolah."
        ),
        "proposed_handling": "Pembangunan intake, pipa transmisi 6 km dan pengolahan awal.",
        "support_requested": (
            "Dukungan provinsi untuk studi kelayakan dan pengusulan ke Kementerian PUPR."
        ),
        "district": "Tanjung Pandan",
        "village": "Air Saga",
        "place": "Kolong Kaolin Air Saga",
        "latitude": "-2.760000",
        "longitude": "107.660000",
        "volume": "6",
        "unit": "km",
        "estimated_cost": 18_500_000_000,
        "funding_source": "apbn",
        "authority": "belum_jelas",
        "land_readiness": "ada",
        "ded_readiness": "belum",
        "environmental_readiness": "belum",
        "plan_link": "RPJMD Kabupaten Belitung 2019-2023: akses air minum layak 100%.",
    },
    {
        "region": "belitung",
        "field": "bina-marga",
        "state": SUBMITTED,
        "title": "Penggantian Jembatan Aik Rusa di ruas Tanjung Pandan - Membalong",
        "problem": (
            "Jembatan Aik Rusa berumur lebih dari 35 tahun, gelagar berkarat dan lantai retak."
        ),
        "proposed_handling": "Penggantian jembatan rangka baja bentang 40 m.",
        "support_requested": "Penanganan jembatan pada ruas jalan provinsi oleh provinsi.",
        "district": "Membalong",
        "village": "Membalong",
        "place": "Jembatan Aik Rusa, ruas Tanjung Pandan - Membalong km 38",
        "volume": "40",
        "unit": "m",
        "estimated_cost": 16_000_000_000,
        "funding_source": "apbd_provinsi",
        "authority": "provinsi",
        "land_readiness": "ada",
        "ded_readiness": "ada",
        "environmental_readiness": "ada",
    },
    # Kabupaten Bangka Selatan
    {
        "region": "bangka-selatan",
        "field": "sumber-daya-air",
        "state": SUBMITTED,
        "title": "Rehabilitasi jaringan irigasi Daerah Irigasi Rias",
        "problem": (
            "Saluran sekunder DI Rias banyak yang jebol dan bersedimen sehingga 600 ha sawah "
            "hanya dapat ditanami sekali setahun."
        ),
        "current_condition": "Intensitas tanam 100%; pintu air rusak di 14 titik.",
        "proposed_handling": "Rehabilitasi saluran sekunder 11 km dan penggantian pintu air.",
        "support_requested": (
            "DI Rias kewenangan provinsi (1.000-3.000 ha): mohon penanganan provinsi."
        ),
        "district": "Toboali",
        "village": "Rias",
        "place": "Daerah Irigasi Rias",
        "latitude": "-2.980000",
        "longitude": "106.520000",
        "volume": "11",
        "unit": "km",
        "estimated_cost": 14_300_000_000,
        "funding_source": "apbd_provinsi",
        "authority": "provinsi",
        "land_readiness": "ada",
        "ded_readiness": "ada",
        "environmental_readiness": "ada",
        "plan_link": "RKPD Provinsi 2023: ketahanan pangan, peningkatan indeks pertanaman.",
    },
    {
        "region": "bangka-selatan",
        "field": "bina-marga",
        "state": DRAFT,
        "title": "Peningkatan jalan akses Pelabuhan Sadai",
        "problem": "Jalan akses Pelabuhan Sadai sempit dan rusak; truk logistik sering terperosok.",
        "proposed_handling": "Peningkatan struktur dan pelebaran jalan akses 5,2 km.",
        "support_requested": "Bantuan keuangan provinsi.",
        "district": "Tukak Sadai",
        "village": "Sadai",
        "place": "Jalan akses Pelabuhan Sadai",
        "volume": "5.2",
        "unit": "km",
        "estimated_cost": 21_000_000_000,
        "funding_source": "bankeu_provinsi",
        "authority": "kabupaten_kota",
        "land_readiness": "proses",
        "ded_readiness": "proses",
        "environmental_readiness": "belum",
    },
    # Kabupaten Bangka Tengah
    {
        "region": "bangka-tengah",
        "field": "penataan-ruang",
        "state": SUBMITTED,
        "title": "Sinkronisasi RTRW Kabupaten Bangka Tengah dengan RTRW Provinsi",
        "problem": (
            "Terdapat perbedaan delineasi kawasan hutan produksi dan wilayah pertambangan "
            "antara RTRW kabupaten dan RTRW provinsi sehingga perizinan terhambat."
        ),
        "proposed_handling": "Revisi RTRW Kabupaten dan penyusunan RDTR kawasan perkotaan Koba.",
        "support_requested": "Fasilitasi dan persetujuan substansi dari provinsi.",
        "district": "Koba",
        "village": "Simpang Perlang",
        "estimated_cost": 1_500_000_000,
        "funding_source": "apbd_kabkota",
        "authority": "kabupaten_kota",
        "land_readiness": "tidak_perlu",
        "ded_readiness": "tidak_perlu",
        "environmental_readiness": "proses",
    },
    {
        "region": "bangka-tengah",
        "field": "kawasan-permukiman",
        "state": SUBMITTED,
        "title": "Perluasan SPAM Regional Bangka Tengah ke Kecamatan Pangkalan Baru",
        "problem": "Cakupan air minum perpipaan di Pangkalan Baru baru 38% rumah tangga.",
        "proposed_handling": "Pembangunan jaringan distribusi 22 km dan 3.000 sambungan rumah.",
        "support_requested": "Dukungan pendanaan provinsi untuk jaringan distribusi utama.",
        "district": "Pangkalan Baru",
        "village": "Batu Belubang",
        "volume": "3000",
        "unit": "SR",
        "estimated_cost": 12_750_000_000,
        "funding_source": "dak",
        "authority": "kabupaten_kota",
        "land_readiness": "ada",
        "ded_readiness": "ada",
        "environmental_readiness": "ada",
    },
    # Kabupaten Bangka Barat
    {
        "region": "bangka-barat",
        "field": "sumber-daya-air",
        "state": SUBMITTED,
        "title": "Pengerukan sedimentasi alur Sungai Jebus",
        "problem": (
            "Sedimentasi dari tambang rakyat di hulu mendangkalkan alur Sungai Jebus; perahu "
            "nelayan tidak dapat keluar saat surut dan banjir meluas ke permukiman."
        ),
        "proposed_handling": "Pengerukan alur sepanjang 3 km dan pembangunan kantong sedimen.",
        "support_requested": "Koordinasi provinsi dengan BWS dan penertiban tambang di sempadan.",
        "district": "Jebus",
        "village": "Jebus",
        "place": "Muara Sungai Jebus",
        "latitude": "-1.690000",
        "longitude": "105.420000",
        "volume": "3",
        "unit": "km",
        "estimated_cost": 9_800_000_000,
        "funding_source": "apbn",
        "authority": "pusat",
        "land_readiness": "ada",
        "ded_readiness": "belum",
        "environmental_readiness": "belum",
    },
    {
        "region": "bangka-barat",
        "field": "jasa-konstruksi",
        "state": DRAFT,
        "title": "Sertifikasi tenaga kerja konstruksi lokal Bangka Barat",
        "problem": (
            "Hanya 14% tenaga kerja konstruksi di Bangka Barat bersertifikat kompetensi, "
            "sehingga penyedia jasa lokal kalah bersaing dalam tender."
        ),
        "proposed_handling": "Pelatihan dan uji sertifikasi 250 tenaga terampil.",
        "support_requested": "Kuota sertifikasi dari provinsi dan LPJK.",
        "district": "Mentok",
        "village": "Belo Laut",
        "volume": "250",
        "unit": "orang",
        "estimated_cost": 750_000_000,
        "funding_source": "apbd_provinsi",
        "authority": "provinsi",
        "land_readiness": "tidak_perlu",
        "ded_readiness": "tidak_perlu",
        "environmental_readiness": "tidak_perlu",
    },
    # Kabupaten Belitung Timur
    {
        "region": "belitung-timur",
        "field": "bina-marga",
        "state": SUBMITTED,
        "title": "Peningkatan ruas jalan provinsi Manggar - Gantung",
        "problem": "Ruas Manggar - Gantung sempit (4,5 m) dan tikungan tajam rawan kecelakaan.",
        "proposed_handling": "Pelebaran menjadi 7 m dan perbaikan geometrik tikungan.",
        "support_requested": "Penanganan provinsi sesuai status jalan provinsi.",
        "district": "Gantung",
        "village": "Lenggang",
        "place": "Ruas Manggar - Gantung km 8 - km 20",
        "volume": "12",
        "unit": "km",
        "estimated_cost": 36_000_000_000,
        "funding_source": "apbd_provinsi",
        "authority": "provinsi",
        "land_readiness": "proses",
        "ded_readiness": "ada",
        "environmental_readiness": "proses",
    },
    {
        "region": "belitung-timur",
        "field": "perumahan",
        "state": WITHDRAWN,
        "withdraw_reason": "Sudah tertampung dalam program BSPS Kementerian PUPR tahun 2023.",
        "title": "Relokasi rumah warga terdampak banjir Kelapa Kampit",
        "problem": "Sekitar 45 rumah di bantaran sungai Kelapa Kampit terendam setiap musim hujan.",
        "proposed_handling": "Relokasi 45 rumah ke lahan milik pemerintah daerah.",
        "support_requested": "Bantuan pembangunan rumah khusus dari provinsi.",
        "district": "Kelapa Kampit",
        "village": "Mentawak",
        "volume": "45",
        "unit": "unit",
        "estimated_cost": 5_400_000_000,
        "funding_source": "apbd_provinsi",
        "authority": "provinsi",
        "land_readiness": "ada",
        "ded_readiness": "belum",
        "environmental_readiness": "belum",
    },
]

# Reopened for one region, so the demo delegate of Pangkalpinang can still answer the desk.
DEMO_REOPENED_REGION = "pangkalpinang"
DEMO_REOPEN_DAYS = 30


def _demo_moment(day, hour):
    return datetime(2022, 7, day, hour, 0, tzinfo=WIB)


@transaction.atomic
def seed_issues(users, meeting):
    """Strategic issues of every region: drafts, submissions with their numbers, one
    verified, one returned with the desk's question, one withdrawn. An issue that
    already exists (same meeting, region and title) is left as it is."""
    regions = {r.slug: r for r in Region.objects.all()}
    desks = {d.field.slug: d for d in meeting.desks.select_related("field", "chair")}
    delegates = {u.region.slug: u for u in users.values() if u.is_delegate}
    _reopen_for_demo(users, meeting, regions[DEMO_REOPENED_REGION])
    existing = set(meeting.issues.values_list("region__slug", "title"))
    order = {}
    for day, spec in enumerate(DEMO_ISSUES):
        region = regions[spec["region"]]
        desk = desks[spec["field"]]
        order[(region.pk, desk.pk)] = order.get((region.pk, desk.pk), 0) + 1
        if (region.slug, spec["title"]) in existing:
            continue
        _seed_issue(
            spec,
            meeting=meeting,
            region=region,
            desk=desk,
            delegate=delegates[region.slug],
            position=order[(region.pk, desk.pk)],
            when=_demo_moment(4 + day, 9),
        )


def _reopen_for_demo(users, meeting, region):
    window, created = RegionWindow.objects.get_or_create(
        meeting=meeting,
        region=region,
        defaults={
            "closes_at": timezone.now() + timedelta(days=DEMO_REOPEN_DAYS),
            "reason": "Data demo: usulan susulan pascabanjir dan jawaban atas pertanyaan desk.",
            "created_by": users["sekretariat"],
        },
    )
    if not created and window.closes_at <= timezone.now():
        window.closes_at = timezone.now() + timedelta(days=DEMO_REOPEN_DAYS)
        window.save(update_fields=["closes_at", "updated_at"])


def _seed_issue(spec, *, meeting, region, desk, delegate, position, when):
    """One issue with the history a delegate and a desk head would have left in July 2022.

    Written directly rather than through issues.services, whose submission window
    closed in 2022; the numbers come from the desk's sequence all the same.
    """
    fields = {
        name: value
        for name, value in spec.items()
        if name not in ("region", "field", "state", "question", "withdraw_reason")
    }
    for name in ("latitude", "longitude", "volume"):
        if name in fields:
            fields[name] = Decimal(fields[name])
    fields["estimated_cost"] = Decimal(fields["estimated_cost"])
    issue = Issue(
        meeting=meeting,
        region=region,
        desk=desk,
        proposing_office=delegate.office,
        entered_by=delegate,
        priority_order=position,
        **fields,
    )
    areas.place(issue)
    issue.save()
    events = [(when, delegate, IssueEvent.Kind.CREATED, "", Issue.Status.DRAFT, "")]
    state = spec["state"]
    submitted_at = when + timedelta(hours=3)
    if state != DRAFT:
        sequence, _ = IssueSequence.objects.get_or_create(desk=desk)
        sequence.last_number += 1
        sequence.save(update_fields=["last_number"])
        issue.number = sequence.last_number
        issue.submitted_at = submitted_at
        events.append((submitted_at, delegate, IssueEvent.Kind.STATUS, "draf", "diajukan", ""))
    status = Issue.Status.SUBMITTED if state != DRAFT else Issue.Status.DRAFT
    chair = desk.chair
    later = submitted_at + timedelta(days=2)
    if state == VERIFIED:
        status = Issue.Status.VERIFIED
        events.append((later, chair, IssueEvent.Kind.STATUS, "diajukan", "terverifikasi", ""))
    elif state == RETURNED:
        status = Issue.Status.NEEDS_REVISION
        events.append(
            (later, chair, IssueEvent.Kind.STATUS, "diajukan", "perlu_perbaikan", spec["question"])
        )
        reply = IssueComment.objects.create(
            issue=issue,
            author=delegate,
            body="Baik, data rumah tangga sedang kami minta dari kelurahan.",
        )
        IssueComment.objects.filter(pk=reply.pk).update(created_at=later + timedelta(hours=4))
    elif state == WITHDRAWN:
        status = Issue.Status.WITHDRAWN
        events.append(
            (
                later,
                delegate,
                IssueEvent.Kind.STATUS,
                "diajukan",
                "ditarik",
                spec["withdraw_reason"],
            )
        )
    issue.status = status
    issue.save(update_fields=["number", "submitted_at", "status"])
    Issue.objects.filter(pk=issue.pk).update(created_at=when, updated_at=events[-1][0])
    for at, actor, kind, from_status, to_status, reason in events:
        event = IssueEvent.objects.create(
            issue=issue,
            actor=actor,
            kind=kind,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
        )
        IssueEvent.objects.filter(pk=event.pk).update(created_at=at)


# ---- Bulk issues for trying the board with a whole province's worth (seed_demo --issues N) ----
#
# Generated, not hand-written: every region proposes issues in every desk, built from
# templates of what each field brings to a RAKORTEK, placed in the region's real
# kecamatan, desa, provincial road segments, rivers and beaches. Roads that cross a
# regency boundary (Pangkalpinang - Sungailiat, Koba - Toboali, Tanjung Pandan - Manggar)
# are proposed from both sides, so the duplicate finder has real work to do.
#
# Top-up, not refusal: `seed_bulk(meeting, n)` leaves the desks with at least n submitted
# issues between them, counting those already there, so running it again with the same
# n creates nothing and a larger n adds the difference.

BULK_PLACES = {
    "pangkalpinang": {
        "districts": {
            "Rangkui": ["Masjid Jamik", "Keramat", "Parit Lalang"],
            "Bukit Intan": ["Air Itam", "Sinar Bulan", "Temberan"],
            "Girimaya": ["Batu Intan", "Bukit Besar", "Pasar Padi"],
            "Pangkalbalam": ["Ketapang", "Rejosari", "Lontong Pancur"],
            "Taman Sari": ["Gedung Nasional", "Kejaksaan", "Rawa Bangun"],
            "Gerunggang": ["Kacang Pedang", "Bukit Merapin", "Taman Bunga"],
            "Gabek": ["Gabek Satu", "Gabek Dua", "Selindung"],
        },
        "roads": ["Pangkalpinang - Sungailiat", "Pangkalpinang - Koba", "Lingkar Timur"],
        "rivers": ["Rangkui", "Pedindang", "Baturusa"],
        "beaches": ["Pasir Padi", "Tanjung Bunga"],
    },
    "bangka": {
        "districts": {
            "Sungailiat": ["Sinar Baru", "Matras", "Jelitik"],
            "Belinyu": ["Kuto Panji", "Air Jukung", "Bintet"],
            "Merawang": ["Baturusa", "Jada Bahrin", "Pagarawan"],
            "Mendo Barat": ["Petaling", "Kemuja", "Cengkong Abang"],
            "Pemali": ["Air Duren", "Karya Makmur", "Sempan"],
            "Riau Silip": ["Deniang", "Pugul", "Cit"],
            "Puding Besar": ["Saing", "Kayu Besi", "Labu"],
            "Bakam": ["Dalil", "Mabat", "Bukit Layang"],
        },
        "roads": ["Pangkalpinang - Sungailiat", "Sungailiat - Belinyu", "Petaling - Mendo Barat"],
        "rivers": ["Baturusa", "Layang", "Buluh"],
        "beaches": ["Matras", "Rebo", "Tanjung Pesona"],
    },
    "belitung": {
        "districts": {
            "Tanjung Pandan": ["Air Saga", "Paal Satu", "Pangkal Lalang"],
            "Membalong": ["Membalong", "Lassar", "Simpang Rusa"],
            "Sijuk": ["Tanjung Binga", "Keciput", "Sijuk"],
            "Badau": ["Badau", "Air Batu Buding", "Pegantungan"],
            "Selat Nasik": ["Selat Nasik", "Suak Gual", "Petaling"],
        },
        "roads": ["Tanjung Pandan - Manggar", "Tanjung Pandan - Membalong", "Badau - Membalong"],
        "rivers": ["Cerucuk", "Brang", "Aik Rusa"],
        "beaches": ["Tanjung Kelayang", "Tanjung Tinggi", "Tanjung Pendam"],
    },
    "bangka-selatan": {
        "districts": {
            "Toboali": ["Rias", "Jeriji", "Serdang"],
            "Payung": ["Payung", "Sebagin", "Irat"],
            "Simpang Rimba": ["Simpang Rimba", "Gudang", "Bangka Kota"],
            "Air Gegas": ["Air Gegas", "Nangka", "Bencah"],
            "Tukak Sadai": ["Sadai", "Pasir Putih", "Tiram"],
            "Lepar Pongok": ["Tanjung Labu", "Tanjung Sangkar", "Penutuk"],
        },
        "roads": ["Koba - Toboali", "Toboali - Sadai", "Simpang Rimba - Payung"],
        "rivers": ["Kepoh", "Bantel", "Nyireh"],
        "beaches": ["Tanjung Kerasak", "Batu Perahu", "Tanjung Kemirai"],
    },
    "bangka-tengah": {
        "districts": {
            "Koba": ["Simpang Perlang", "Padang Mulia", "Nibung"],
            "Pangkalan Baru": ["Batu Belubang", "Air Mesu", "Dul"],
            "Sungai Selan": ["Sungai Selan", "Kerantai", "Lampur"],
            "Simpang Katis": ["Simpang Katis", "Terak", "Pinang Sebatang"],
            "Namang": ["Namang", "Jelutung", "Cambai"],
            "Lubuk Besar": ["Lubuk Besar", "Perlang", "Kulur"],
        },
        "roads": ["Pangkalpinang - Koba", "Koba - Toboali", "Simpang Katis - Pangkalan Baru"],
        "rivers": ["Selan", "Kurau", "Rangkui"],
        "beaches": ["Tanjung Berikat", "Sampur", "Terentang"],
    },
    "bangka-barat": {
        "districts": {
            "Mentok": ["Belo Laut", "Air Belo", "Sungai Daeng"],
            "Simpang Teritip": ["Simpang Gong", "Peradong", "Pangek"],
            "Jebus": ["Jebus", "Ketap", "Sinar Manik"],
            "Kelapa": ["Kelapa", "Tuik", "Dendang"],
            "Tempilang": ["Tempilang", "Sinar Surya", "Benteng Kota"],
            "Parittiga": ["Puput", "Kapit", "Air Gantang"],
        },
        "roads": ["Pangkalpinang - Mentok", "Mentok - Jebus", "Kelapa - Tempilang"],
        "rivers": ["Jebus", "Kampak", "Mancung"],
        "beaches": ["Tanjung Kalian", "Batu Rakit", "Pasir Kuning"],
    },
    "belitung-timur": {
        "districts": {
            "Manggar": ["Baru", "Lalang", "Kurnia Jaya"],
            "Gantung": ["Lenggang", "Gantung", "Selinsing"],
            "Kelapa Kampit": ["Mentawak", "Senyubuk", "Buding"],
            "Dendang": ["Dendang", "Balok", "Jangkang"],
            "Damar": ["Mengkubang", "Sukamandi", "Burung Mandi"],
            "Simpang Renggiang": ["Renggiang", "Simpang Tiga", "Lintang"],
        },
        "roads": ["Tanjung Pandan - Manggar", "Manggar - Gantung", "Gantung - Dendang"],
        "rivers": ["Lenggang", "Manggar", "Balok"],
        "beaches": ["Burung Mandi", "Nyiur Melambai", "Serdang"],
    },
}

# Per field: (title, problem, proposed handling, place, unit, volume range, rupiah per unit,
# funding source, authority). {road}, {river}, {beach}, {district}, {village}, {region}
# are filled in from the region; {volume} from the volume.
BULK_TEMPLATES = {
    "bina-marga": [
        (
            "Rekonstruksi ruas jalan provinsi {road}",
            "Ruas {road} rusak berat sepanjang {volume} km akibat angkutan bertonase "
            "berlebih; lubang dan retak buaya membahayakan pengguna jalan.",
            "Rekonstruksi perkerasan dan perbaikan drainase jalan sepanjang {volume} km.",
            "Ruas {road}",
            "km",
            (2, 12),
            4_000_000_000,
            "apbd_provinsi",
            "provinsi",
        ),
        (
            "Pelebaran ruas jalan {road}",
            "Lebar jalan {road} hanya 4,5 m sehingga kendaraan besar sulit berpapasan dan "
            "kecelakaan sering terjadi di tikungan.",
            "Pelebaran menjadi 7 m dan perbaikan geometrik tikungan sepanjang {volume} km.",
            "Ruas {road}",
            "km",
            (2, 10),
            3_000_000_000,
            "apbd_provinsi",
            "provinsi",
        ),
        (
            "Penggantian jembatan Sungai {river} di Kecamatan {district}",
            "Jembatan Sungai {river} di Desa {village} retak dan sandarannya rusak; "
            "kendaraan bermuatan dilarang lewat sehingga harus memutar jauh.",
            "Penggantian jembatan beton bentang {volume} m.",
            "Jembatan Sungai {river}, Desa {village}",
            "m",
            (15, 60),
            150_000_000,
            "apbd_provinsi",
            "belum_jelas",
        ),
        (
            "Peningkatan jalan akses sentra perikanan Desa {village}",
            "Jalan akses ke sentra perikanan Desa {village} masih tanah dan tidak bisa "
            "dilalui truk saat hujan.",
            "Pengaspalan dan pembangunan drainase sepanjang {volume} km.",
            "Jalan akses sentra perikanan Desa {village}",
            "km",
            (1, 5),
            2_500_000_000,
            "bankeu_provinsi",
            "kabupaten_kota",
        ),
    ],
    "sumber-daya-air": [
        (
            "Normalisasi Sungai {river} di Kecamatan {district}",
            "Alur Sungai {river} dangkal karena sedimentasi dari tambang timah; saat hujan "
            "lebat air meluap ke permukiman Desa {village}.",
            "Pengerukan dan normalisasi alur Sungai {river} sepanjang {volume} km bersama "
            "BWS Bangka Belitung.",
            "Sungai {river}",
            "km",
            (1, 8),
            5_000_000_000,
            "apbn",
            "pusat",
        ),
        (
            "Penanganan abrasi Pantai {beach}",
            "Garis pantai {beach} mundur hingga 10 m dalam lima tahun; jalan dan rumah "
            "nelayan Desa {village} terancam.",
            "Pembangunan revetmen dan pemecah gelombang sepanjang {volume} m.",
            "Pantai {beach}",
            "m",
            (300, 2000),
            20_000_000,
            "apbn",
            "pusat",
        ),
        (
            "Rehabilitasi jaringan irigasi Desa {village}",
            "Saluran irigasi Desa {village} bocor dan pintu air rusak; sawah seluas "
            "{volume} ha hanya bisa ditanam sekali setahun.",
            "Rehabilitasi saluran primer dan sekunder serta pintu air.",
            "Daerah irigasi Desa {village}",
            "ha",
            (50, 600),
            25_000_000,
            "apbd_provinsi",
            "provinsi",
        ),
        (
            "Pemanfaatan kolong bekas tambang Desa {village} untuk air baku",
            "Warga Kecamatan {district} kekurangan air bersih di musim kemarau, padahal "
            "kolong bekas tambang di Desa {village} berisi air sepanjang tahun.",
            "Uji kualitas air, pembangunan intake dan jaringan transmisi {volume} liter/detik.",
            "Kolong Desa {village}",
            "liter/detik",
            (10, 80),
            150_000_000,
            "apbd_provinsi",
            "provinsi",
        ),
    ],
    "penataan-ruang": [
        (
            "Penyusunan RDTR Kecamatan {district}",
            "Kecamatan {district} belum memiliki RDTR sehingga perizinan berusaha belum "
            "dapat dilayani melalui OSS berbasis risiko.",
            "Penyusunan dan penetapan RDTR beserta peraturan zonasinya.",
            "Kecamatan {district}",
            "dokumen",
            (1, 1),
            1_500_000_000,
            "apbd_kabkota",
            "kabupaten_kota",
        ),
        (
            "Penyelesaian tanah aset jalan provinsi ruas {road}",
            "Sebagian lahan ruas {road} belum bersertifikat sehingga pelebaran jalan tertunda.",
            "Inventarisasi, pengukuran dan sertifikasi {volume} bidang tanah.",
            "Ruas {road}",
            "bidang",
            (20, 150),
            5_000_000,
            "apbd_provinsi",
            "provinsi",
        ),
        (
            "Penataan ruang kawasan pesisir Pantai {beach}",
            "Bangunan di sempadan Pantai {beach} bertambah tanpa izin dan tumpang tindih "
            "dengan zona tambang laut dalam RZWP3K.",
            "Penyusunan rencana tata bangunan dan lingkungan kawasan seluas {volume} ha.",
            "Pantai {beach}",
            "ha",
            (20, 200),
            10_000_000,
            "apbd_provinsi",
            "provinsi",
        ),
    ],
    "perumahan": [
        (
            "Peningkatan kualitas rumah tidak layak huni Desa {village}",
            "Sebanyak {volume} rumah di Desa {village} tidak layak huni: atap bocor, "
            "dinding papan lapuk dan lantai tanah.",
            "Bantuan stimulan peningkatan kualitas {volume} rumah.",
            "Desa {village}",
            "unit",
            (20, 150),
            20_000_000,
            "apbd_provinsi",
            "provinsi",
        ),
        (
            "Relokasi rumah warga terdampak banjir Desa {village}",
            "Sekitar {volume} rumah di bantaran sungai Desa {village} terendam setiap musim hujan.",
            "Relokasi ke lahan milik pemerintah daerah dan pembangunan rumah khusus.",
            "Bantaran sungai Desa {village}",
            "unit",
            (10, 60),
            120_000_000,
            "apbd_provinsi",
            "provinsi",
        ),
        (
            "Penyediaan PSU perumahan MBR di Kecamatan {district}",
            "Perumahan masyarakat berpenghasilan rendah di Kecamatan {district} belum "
            "memiliki jalan lingkungan, drainase dan penerangan.",
            "Pembangunan prasarana, sarana dan utilitas untuk {volume} unit rumah.",
            "Perumahan MBR Desa {village}",
            "unit",
            (50, 300),
            15_000_000,
            "bankeu_provinsi",
            "kabupaten_kota",
        ),
    ],
    "kawasan-permukiman": [
        (
            "Perluasan jaringan SPAM di Kecamatan {district}",
            "Cakupan air minum perpipaan di Kecamatan {district} baru 40%; warga Desa "
            "{village} membeli air jeriken.",
            "Perluasan jaringan distribusi dan {volume} sambungan rumah.",
            "Kecamatan {district}",
            "SR",
            (300, 3000),
            3_500_000,
            "apbd_provinsi",
            "provinsi",
        ),
        (
            "Penanganan kawasan kumuh Desa {village}",
            "Kawasan permukiman Desa {village} seluas {volume} ha masuk SK kumuh: jalan "
            "lingkungan rusak, drainase tidak terhubung dan sanitasi belum layak.",
            "Peningkatan jalan lingkungan, drainase dan sanitasi kawasan.",
            "Desa {village}",
            "ha",
            (5, 40),
            500_000_000,
            "bankeu_provinsi",
            "kabupaten_kota",
        ),
        (
            "Pembangunan IPAL komunal Desa {village}",
            "Air limbah rumah tangga Desa {village} dibuang langsung ke saluran dan sungai.",
            "Pembangunan {volume} unit IPAL komunal dengan jaringan perpipaan.",
            "Desa {village}",
            "unit",
            (2, 10),
            450_000_000,
            "dak",
            "kabupaten_kota",
        ),
        (
            "Perbaikan drainase lingkungan Kecamatan {district}",
            "Genangan setinggi 30-50 cm terjadi di Desa {village} setiap hujan karena "
            "saluran tersumbat sedimen dan sampah.",
            "Normalisasi dan peningkatan kapasitas saluran sepanjang {volume} km.",
            "Saluran lingkungan Desa {village}",
            "km",
            (1, 6),
            1_200_000_000,
            "apbd_provinsi",
            "belum_jelas",
        ),
    ],
    "jasa-konstruksi": [
        (
            "Sertifikasi tenaga kerja konstruksi Kecamatan {district}",
            "Sebagian besar tukang dan mandor di Kecamatan {district} belum bersertifikat "
            "kompetensi, padahal diwajibkan pada proyek pemerintah.",
            "Pelatihan dan uji sertifikasi {volume} tenaga terampil.",
            "",
            "orang",
            (50, 400),
            3_000_000,
            "apbd_provinsi",
            "provinsi",
        ),
        (
            "Pelatihan operator alat berat di Kecamatan {district}",
            "Kontraktor lokal di Kecamatan {district} kekurangan operator alat berat "
            "bersertifikat.",
            "Pelatihan dan sertifikasi {volume} operator alat berat.",
            "",
            "orang",
            (20, 100),
            7_500_000,
            "apbd_provinsi",
            "provinsi",
        ),
        (
            "Pembinaan badan usaha jasa konstruksi kecil Kecamatan {district}",
            "Banyak badan usaha jasa konstruksi kecil di Kecamatan {district} belum memenuhi "
            "persyaratan SBU terbaru.",
            "Bimbingan teknis dan pendampingan {volume} badan usaha.",
            "",
            "badan usaha",
            (20, 120),
            4_000_000,
            "apbd_provinsi",
            "provinsi",
        ),
    ],
}
BULK_GENERIC_TEMPLATE = (
    "Penanganan permasalahan {field} di Kecamatan {district}",
    "Permasalahan bidang {field} di Desa {village} belum tertangani karena keterbatasan "
    "anggaran daerah.",
    "Penanganan bertahap sesuai kewenangan, volume {volume} paket.",
    "Desa {village}",
    "paket",
    (1, 5),
    1_000_000_000,
    "apbd_provinsi",
    "belum_jelas",
)
BULK_READINESS = ["ada", "proses", "belum", "tidak_perlu"]
BULK_RESERVE_REASON = "Menunggu ketersediaan anggaran tahun berikutnya."


def _bulk_offices():
    return {region_slug: office for _u, _n, region_slug, office in DELEGATES}


@transaction.atomic
def seed_bulk(meeting, n, *, desks=None, seed=2022) -> int:
    """Top the desks of `meeting` (or `desks`) up to at least `n` submitted issues between
    them, spread evenly over the desks and the regions; return how many were created.

    Most issues are verified, fully scored on the meeting's criteria and ranked after
    the desk's current ranking in the board's proposed order (score, then the region's
    own order); the best tenth of each desk's new issues is decided Prioritas and the
    next tenth Cadangan. Numbers come from each desk's sequence. Bulk inserts only.
    """
    desks = list(desks if desks is not None else meeting.desks.select_related("field"))
    if not desks or n <= 0:
        return 0
    submitted = Issue.objects.filter(desk__in=desks, submitted_at__isnull=False)
    existing = {
        row["desk"]: row["count"] for row in submitted.values("desk").annotate(count=Count("id"))
    }
    target = _spread(n, len(desks))
    regions = list(Region.objects.exclude(kind=Region.Kind.PROVINCE).order_by("kemendagri_code"))
    regions = [r for r in regions if r.slug in BULK_PLACES] or regions
    delegates = {
        u.region_id: u for u in User.objects.filter(role=Role.DELEGATE, region__in=regions)
    }
    offices = _bulk_offices()
    criteria = list(meeting.criteria.all())
    rng = random.Random(f"{seed}-{meeting.pk}-{sum(existing.values())}")
    now = timezone.now()
    created_total = 0
    for desk, wanted in zip(desks, target, strict=True):
        missing = wanted - existing.get(desk.pk, 0)
        if missing <= 0:
            continue
        created_total += _bulk_desk(
            desk,
            missing,
            regions=regions,
            delegates=delegates,
            offices=offices,
            criteria=criteria,
            rng=rng,
            now=now,
        )
        state, _ = DeskState.objects.get_or_create(desk=desk)
        state.version += 1
        state.save(update_fields=["version", "updated_at"])
    return created_total


def _spread(n, parts):
    base, extra = divmod(n, parts)
    return [base + (1 if index < extra else 0) for index in range(parts)]


def _bulk_desk(desk, count, *, regions, delegates, offices, criteria, rng, now):
    """`count` new submitted issues in `desk`, scored, ranked and partly decided."""
    templates = BULK_TEMPLATES.get(desk.field.slug, [BULK_GENERIC_TEMPLATE])
    sequence, _ = IssueSequence.objects.get_or_create(desk=desk)
    sequence = IssueSequence.objects.select_for_update().get(pk=sequence.pk)
    first_number = sequence.last_number + 1
    sequence.last_number += count
    sequence.save(update_fields=["last_number"])
    orders = dict(
        Issue.objects.filter(desk=desk)
        .values("region")
        .annotate(last=Max("priority_order"))
        .values_list("region", "last")
    )
    # Each region works through its own shuffled list of distinct proposals (a template
    # at one of its places) before it asks for anything again; asking again is asking
    # for a next phase (tahap).
    titles = Counter(
        (region, re.sub(r" tahap \d+$", "", title))
        for region, title in Issue.objects.filter(desk=desk).values_list("region", "title")
    )
    proposals = {}
    issues = []
    for index in range(count):
        region = regions[index % len(regions)]
        orders[region.pk] = orders.get(region.pk, 0) + 1
        if not proposals.get(region.pk):
            proposals[region.pk] = _bulk_proposals(templates, region, desk, rng)
        template, words = proposals[region.pk].pop()
        issue = _bulk_issue(
            desk,
            region,
            template,
            words,
            rng=rng,
            number=first_number + index,
            priority_order=orders[region.pk],
            delegate=delegates.get(region.pk),
            office=offices.get(region.slug, f"Dinas PUPR {region.name}"),
            submitted_at=now - timedelta(minutes=rng.randint(60, 60 * 24 * 20)),
        )
        titles[(region.pk, issue.title)] += 1
        if titles[(region.pk, issue.title)] > 1:
            issue.title = f"{issue.title[:188]} tahap {titles[(region.pk, issue.title)]}"
        issues.append(issue)
    # Scores, ranks and decisions are worked out before the single insert: updating
    # thousands of rows afterwards costs far more than inserting them.
    values_of = {}
    for issue in issues:
        if issue.status == Issue.Status.SUBMITTED or not criteria:
            continue
        values = {c.pk: rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 4, 3, 2])[0] for c in criteria}
        values_of[issue.number] = values
        issue.score = weighted_score(criteria, values)
    ranked = sorted(
        (i for i in issues if i.score is not None and i.status in RANKABLE_STATUSES),
        key=lambda i: proposal_key(i.score, i),
    )
    start = Issue.objects.filter(desk=desk, rank__isnull=False).aggregate(m=Max("rank"))["m"] or 0
    tenth = max(1, len(ranked) // 10) if ranked else 0
    for position, issue in enumerate(ranked):
        issue.rank = start + position + 1
        if position < tenth:
            issue.status = issue.decision = Issue.Status.PRIORITY
        elif position < 2 * tenth:
            issue.status = issue.decision = Issue.Status.RESERVE
            issue.decision_reason = BULK_RESERVE_REASON
        if issue.decision:
            issue.decided_at = now
            issue.decided_by = desk.chair
    Issue.objects.bulk_create(issues, batch_size=500)
    Score.objects.bulk_create(
        (
            Score(issue=issue, criterion=c, value=values[c.pk], scored_by=desk.chair, scored_at=now)
            for issue in issues
            for values in [values_of.get(issue.number)]
            if values
            for c in criteria
        ),
        batch_size=1000,
    )
    IssueEvent.objects.bulk_create(
        [
            event
            for issue in issues
            for event in (
                IssueEvent(
                    issue=issue,
                    actor=issue.entered_by,
                    kind=IssueEvent.Kind.CREATED,
                    to_status=Issue.Status.DRAFT,
                ),
                IssueEvent(
                    issue=issue,
                    actor=issue.entered_by,
                    kind=IssueEvent.Kind.STATUS,
                    from_status=Issue.Status.DRAFT,
                    to_status=Issue.Status.SUBMITTED,
                ),
            )
        ],
        batch_size=1000,
    )
    return len(issues)


def _bulk_proposals(templates, region, desk, rng) -> list:
    """Every distinct (template, places) a region could propose in a desk, shuffled."""
    places = BULK_PLACES.get(region.slug) or next(iter(BULK_PLACES.values()))
    proposals = []
    for template in templates:
        used = set(re.findall(r"{(\w+)}", " ".join(template[:4])))
        spots = [
            {"district": district, "village": village}
            for district, villages in places["districts"].items()
            for village in villages
        ]
        if not used & {"district", "village"}:
            spots = [rng.choice(spots)]
        for key, choices in (("road", "roads"), ("river", "rivers"), ("beach", "beaches")):
            spots = [
                {**spot, key: value if key in used else rng.choice(places[choices])}
                for spot in spots
                for value in (places[choices] if key in used else [None])
            ]
        for spot in spots:
            proposals.append((template, {**spot, "region": region.name, "field": desk.field.name}))
    rng.shuffle(proposals)
    return proposals


def _bulk_issue(
    desk, region, template, words, *, rng, number, priority_order, delegate, office, **more
):
    title, problem, handling, place, unit, (low, high), per_unit, funding, authority = template
    words = dict(words)
    district = words["district"]
    volume = Decimal(rng.randint(low, high))
    words["volume"] = f"{volume:f}"
    text = {
        key: value.format(**words)
        for key, value in (
            ("title", title),
            ("problem", problem),
            ("proposed_handling", handling),
            ("place", place),
        )
    }
    if unit == "km" and text["place"].startswith("Ruas"):
        start_km = rng.randint(0, 40)
        text["place"] += f" km {start_km} - km {start_km + int(volume)}"
    status = rng.choices(
        [Issue.Status.VERIFIED, Issue.Status.SUBMITTED, Issue.Status.DISCUSSED],
        weights=[80, 12, 8],
    )[0]
    return Issue(
        meeting=desk.meeting,
        desk=desk,
        region=region,
        number=number,
        status=status,
        proposing_office=office,
        title=text["title"][:200],
        problem=text["problem"],
        proposed_handling=text["proposed_handling"],
        support_requested="Dukungan pendanaan dan koordinasi dari Pemerintah Provinsi.",
        district=district,
        village=words["village"],
        place=text["place"][:200],
        volume=volume,
        unit=unit,
        estimated_cost=Decimal(per_unit) * volume,
        funding_source=funding,
        authority=authority,
        land_readiness=rng.choice(BULK_READINESS),
        ded_readiness=rng.choice(BULK_READINESS),
        environmental_readiness=rng.choice(BULK_READINESS),
        priority_order=priority_order,
        entered_by=delegate,
        **more,
    )


# ---- Attendance (daftar hadir), minutes and signers ----
#
# Who came to RAKORTEK 2022: the provincial desk heads and staff, the delegations of
# every regency and the city, and guests from Biro Pemerintahan and BWS. Most checked
# in on the morning of 25 July, a few by signing on their phones, a few are missing.

PROVINCIAL_OFFICE = "Dinas PUPRPRKP Provinsi Kepulauan Bangka Belitung"

# (region slug or "", office, [(name, position, desk field code or "", mode,
#   minutes after 07.40 WIB they checked in or None, signed on a phone, username or "")])
DEMO_ATTENDANCE = [
    (
        "provinsi",
        PROVINCIAL_OFFICE,
        [
            ("Nurhayati, S.E.", "Kepala Subbagian Program", "", "luring", 0, False, "sekretariat"),
            (
                "Ir. Sutrisno Hadi, M.T.",
                "Kepala Bidang Bina Marga",
                "BM",
                "luring",
                12,
                True,
                "kabid-bina-marga",
            ),
            (
                "Rahmat Hidayat, S.T., M.T.",
                "Kepala Bidang Sumber Daya Air",
                "SDA",
                "luring",
                15,
                False,
                "kabid-sda",
            ),
            (
                "Dewi Anggraini, S.T., M.Sc.",
                "Kepala Bidang Penataan Ruang dan Pertanahan",
                "PRP",
                "luring",
                18,
                False,
                "kabid-penataan-ruang",
            ),
            (
                "Hendra Saputra, S.T.",
                "Kepala Bidang Perumahan",
                "PRM",
                "luring",
                20,
                False,
                "kabid-perumahan",
            ),
            (
                "Yuliana Pratiwi, S.T., M.T.",
                "Kepala Bidang Kawasan Permukiman",
                "KP",
                "luring",
                21,
                False,
                "kabid-permukiman",
            ),
            (
                "Agus Salim, S.T.",
                "Kepala Bidang Jasa Konstruksi",
                "JK",
                "luring",
                25,
                False,
                "kabid-jasa-konstruksi",
            ),
            (
                "Rudi Hartono, S.T.",
                "Kepala Seksi Pembangunan Jalan dan Jembatan",
                "BM",
                "luring",
                27,
                False,
                "",
            ),
            (
                "Lestari Wulandari, S.T.",
                "Kepala Seksi Irigasi dan Rawa",
                "SDA",
                "luring",
                28,
                False,
                "",
            ),
        ],
    ),
    (
        "provinsi",
        "Biro Pemerintahan Setda Provinsi Kepulauan Bangka Belitung",
        [("Teguh Prasetyo, S.IP.", "Analis Kebijakan", "", "luring", 31, False, "pengamat")],
    ),
    (
        "",
        "Balai Wilayah Sungai Bangka Belitung",
        [("Ir. Darmawan Syahputra", "Kepala Seksi Pelaksanaan", "SDA", "daring", 46, False, "")],
    ),
    (
        "bangka",
        "DPUPR Kabupaten Bangka",
        [
            (
                "Budi Santoso, S.T.",
                "Perencana Ahli Muda",
                "BM",
                "luring",
                5,
                True,
                "delegasi-bangka",
            ),
            ("Ahmad Fauzi, S.T., M.T.", "Kepala Bidang Bina Marga", "BM", "luring", 9, False, ""),
            (
                "Sri Handayani, S.T.",
                "Kepala Bidang Sumber Daya Air",
                "SDA",
                "luring",
                10,
                False,
                "",
            ),
            (
                "Rizky Ramadhan, S.T.",
                "Teknik Pengairan Ahli Pertama",
                "SDA",
                "luring",
                None,
                False,
                "",
            ),
        ],
    ),
    (
        "bangka",
        "Bappeda Kabupaten Bangka",
        [("Eko Wahyudi, S.E.", "Kepala Subbidang Infrastruktur", "", "daring", 38, False, "")],
    ),
    (
        "belitung",
        "DPUPR Kabupaten Belitung",
        [
            (
                "Siti Rahmawati, S.T.",
                "Perencana Ahli Muda",
                "BM",
                "daring",
                35,
                False,
                "delegasi-belitung",
            ),
            ("Herman Syah, S.T.", "Kepala Bidang Cipta Karya", "KP", "daring", 36, False, ""),
            ("Marlina Kusuma, S.T.", "Kepala Seksi Tata Ruang", "PRP", "daring", 40, False, ""),
            (
                "Yusuf Hamdani, S.T.",
                "Kepala Bidang Sumber Daya Air",
                "SDA",
                "daring",
                None,
                False,
                "",
            ),
        ],
    ),
    (
        "bangka-selatan",
        "DPUTRP Kabupaten Bangka Selatan",
        [
            (
                "Andi Firmansyah, S.T.",
                "Perencana Ahli Muda",
                "SDA",
                "luring",
                11,
                True,
                "delegasi-bangka-selatan",
            ),
            ("Novi Anggraeni, S.T.", "Kepala Bidang Tata Ruang", "PRP", "luring", 13, False, ""),
            ("Bambang Irawan, S.T.", "Kepala Bidang Bina Marga", "BM", "luring", 14, False, ""),
        ],
    ),
    (
        "bangka-selatan",
        "Dinas Perkim Kabupaten Bangka Selatan",
        [("Wahyu Setiawan, S.T.", "Kepala Bidang Perumahan", "PRM", "luring", 30, False, "")],
    ),
    (
        "bangka-selatan",
        "Bappelitbangda Kabupaten Bangka Selatan",
        [("Fitri Yanti, S.E.", "Analis Perencanaan", "", "luring", None, False, "")],
    ),
    (
        "bangka-tengah",
        "DPUPR Kabupaten Bangka Tengah",
        [
            (
                "Rina Marlina, S.T.",
                "Perencana Ahli Muda",
                "PRP",
                "luring",
                8,
                False,
                "delegasi-bangka-tengah",
            ),
            ("Joko Susilo, S.T., M.T.", "Kepala Bidang Cipta Karya", "KP", "luring", 16, True, ""),
            ("Dian Permata, S.T.", "Kepala Seksi Jalan", "BM", "luring", 17, False, ""),
            (
                "Taufik Hidayat, S.T.",
                "Kepala Bidang Sumber Daya Air",
                "SDA",
                "luring",
                22,
                False,
                "",
            ),
            ("Maria Ulfa, S.T.", "Kepala Bidang Jasa Konstruksi", "JK", "luring", 23, False, ""),
        ],
    ),
    (
        "bangka-barat",
        "DPUPR Kabupaten Bangka Barat",
        [
            (
                "Fajar Nugroho, S.T.",
                "Perencana Ahli Muda",
                "SDA",
                "luring",
                19,
                False,
                "delegasi-bangka-barat",
            ),
            ("Slamet Riyadi, S.T.", "Kepala Bidang Bina Konstruksi", "JK", "luring", 24, True, ""),
            ("Ratna Dewi, S.T.", "Kepala Bidang Bina Marga", "BM", "luring", 26, False, ""),
        ],
    ),
    (
        "bangka-barat",
        "Dinas Perkim Kabupaten Bangka Barat",
        [
            (
                "Hasanudin, S.T.",
                "Kepala Bidang Perumahan dan Permukiman",
                "PRM",
                "daring",
                42,
                False,
                "",
            )
        ],
    ),
    (
        "belitung-timur",
        "DPUPR Kabupaten Belitung Timur",
        [
            (
                "Indra Gunawan, S.T.",
                "Perencana Ahli Muda",
                "BM",
                "daring",
                37,
                False,
                "delegasi-belitung-timur",
            ),
            ("Lukman Hakim, S.T.", "Kepala Bidang Perumahan", "PRM", "daring", 39, False, ""),
            ("Nurul Aini, S.T.", "Kepala Bidang Sumber Daya Air", "SDA", "daring", None, False, ""),
        ],
    ),
    (
        "pangkalpinang",
        "DPUPRPKP Kota Pangkalpinang",
        [
            (
                "Maya Sari, S.T.",
                "Perencana Ahli Muda",
                "SDA",
                "luring",
                3,
                True,
                "delegasi-pangkalpinang",
            ),
            (
                "Arif Budiman, S.T., M.T.",
                "Kepala Bidang Sumber Daya Air",
                "SDA",
                "luring",
                6,
                False,
                "",
            ),
            (
                "Desi Ratnasari, S.T.",
                "Kepala Bidang Kawasan Permukiman",
                "KP",
                "luring",
                7,
                False,
                "",
            ),
            (
                "Gilang Pratama, S.T.",
                "Kepala Seksi Jalan dan Jembatan",
                "BM",
                "luring",
                29,
                False,
                "",
            ),
            ("Sulastri, S.T.", "Kepala Bidang Penataan Ruang", "PRP", "luring", None, False, ""),
        ],
    ),
]

DEMO_CHECKIN_START = datetime(2022, 7, 25, 7, 40, tzinfo=WIB)


def demo_signature_png(seed: str) -> bytes:
    """A hand-drawn-looking squiggle, the same for the same seed (a participant's name)."""
    import io
    import math
    import random

    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    width, height = 600, 200
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    points = []
    loops = rng.randint(4, 7)
    lift = rng.uniform(0.8, 1.2)
    # Cursive loops: a circle rolled along the line, shrinking towards the end.
    for step in range(240):
        t = step / 240
        turn = t * loops * 2 * math.pi
        size = 1 - t / 2
        x = 50 + t * (width - 140) - math.sin(turn) * 22 * size
        y = height / 2 - math.cos(turn) * 48 * size * lift + math.sin(t * 5) * 10
        points.append((x, y))
    draw.line(points, fill=(11, 31, 77, 255), width=4, joint="curve")
    # The underline most people finish with.
    draw.line(
        [(60, 165), (width - 90, 150 + rng.randint(-10, 10))], fill=(11, 31, 77, 255), width=3
    )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


DEMO_PLENARY_MINUTES = {
    "opening": (
        "Rapat Koordinasi Teknis Bidang Pekerjaan Umum Tahun 2022 dilaksanakan pada hari Senin, "
        "25 Juli 2022 secara hibrida di Ruang Auditorium Dinas PUPRPRKP dan melalui Zoom. Rapat "
        "dibuka pada pukul 08.30 WIB oleh Penjabat Gubernur Kepulauan Bangka Belitung, yang "
        "menekankan agar isu strategis yang diangkat benar-benar prioritas, mendesak, dan layak "
        "dibawa ke Rapat Koordinasi Gubernur."
    ),
    "discussion": (
        "1. Kepala Dinas PUPRPRKP memaparkan capaian kemantapan jalan provinsi tahun 2021 "
        "sebesar 82,4% serta keterbatasan ruang fiskal APBD Provinsi Tahun Anggaran 2023.\n"
        "2. Pembahasan isu strategis dilaksanakan dalam enam desk bidang: Bina Marga, Sumber "
        "Daya Air, Penataan Ruang dan Pertanahan, Perumahan, Kawasan Permukiman, serta Jasa "
        "Konstruksi.\n"
        "3. Pada sesi pleno, masing-masing Kepala Bidang menyampaikan hasil desk, termasuk isu "
        "lintas wilayah seperti banjir DAS Rangkui dan abrasi pantai akibat tambang timah lepas "
        "pantai yang memerlukan koordinasi dengan BWS Bangka Belitung."
    ),
    "decisions": "",
    "closing": "",
    "chair_name": "Ir. Hendra Kurniawan, M.T.",
    "chair_position": "Kepala Dinas PUPRPRKP Provinsi Kepulauan Bangka Belitung",
    "note_taker_name": "Nurhayati, S.E.",
    "place": "Pangkalpinang",
    "date_text": "25 Juli 2022",
}

DEMO_DESK_MINUTES = {
    "bina-marga": {
        "opening": (
            "Diskusi Desk Bidang Bina Marga dibuka pada pukul 10.00 WIB oleh Ir. Sutrisno Hadi, "
            "M.T. selaku Kepala Bidang Bina Marga, bertempat di Ruang Auditorium, dan diikuti "
            "oleh perwakilan dinas pekerjaan umum seluruh kabupaten/kota."
        ),
        "discussion": (
            "1. Kabupaten Bangka menyampaikan kerusakan berat ruas Sungailiat - Belinyu sepanjang "
            "9,5 km akibat angkutan bermuatan lebih.\n"
            "2. Kabupaten Belitung Timur mengusulkan pelebaran ruas Manggar - Gantung karena "
            "tikungan tajam rawan kecelakaan.\n"
            "3. Kota Pangkalpinang mengusulkan peningkatan Jalan Lingkar Timur; status kewenangan "
            "ruas perlu dipastikan terlebih dahulu."
        ),
        "decisions": "",
        "closing": "Diskusi desk ditutup pada pukul 14.00 WIB.",
    },
    "sumber-daya-air": {
        "opening": (
            "Diskusi Desk Bidang Sumber Daya Air dibuka pada pukul 10.00 WIB oleh Rahmat "
            "Hidayat, S.T., M.T. selaku Kepala Bidang Sumber Daya Air, bertempat di Ruang Rapat "
            "SDA, dengan narasumber dari Balai Wilayah Sungai Bangka Belitung secara daring."
        ),
        "discussion": (
            "1. Kota Pangkalpinang memaparkan genangan di kawasan Pasar Pagi dan Kampung Opas; "
            "normalisasi Sungai Rangkui merupakan kewenangan pusat melalui BWS.\n"
            "2. Kabupaten Bangka dan Bangka Selatan menyampaikan abrasi pantai yang dipercepat "
            "oleh tambang timah lepas pantai."
        ),
        "decisions": "",
        "closing": "",
    },
}

# (document, desk field slug or "", order, name, position, rank, NIP)
DEMO_SIGNERS = [
    (
        "notulen",
        "",
        1,
        "Ir. Hendra Kurniawan, M.T.",
        "Kepala Dinas PUPRPRKP Provinsi Kepulauan Bangka Belitung",
        "Pembina Utama Muda (IV/c)",
        "196912101996031004",
    ),
    ("notulen", "", 2, "Nurhayati, S.E.", "Notulis", "Penata Tk. I (III/d)", "198203152006042011"),
    (
        "notulen",
        "bina-marga",
        1,
        "Ir. Sutrisno Hadi, M.T.",
        "Kepala Bidang Bina Marga",
        "Pembina Tk. I (IV/b)",
        "197105231998031006",
    ),
    (
        "daftar_hadir",
        "",
        1,
        "Nurhayati, S.E.",
        "Kepala Subbagian Program",
        "Penata Tk. I (III/d)",
        "198203152006042011",
    ),
]


@transaction.atomic
def seed_attendance(meeting):
    """The attendance list, the minutes drafts and the signers of the demo RAKORTEK.

    A participant already on the list (same name and office) is left as it is, so
    running this again changes nothing and never draws a second signature.
    """
    from django.core.files.base import ContentFile

    from meetings.models import Minutes, Participant, ParticipantEvent, Signer
    from meetings.services import minutes_new, person_key

    regions = {r.slug: r for r in Region.objects.all()}
    desks = meeting.desks.select_related("field", "chair", "note_taker")
    by_code = {d.field.code: d for d in desks}
    desks = {d.field.slug: d for d in desks}
    users = {u.username: u for u in User.objects.all()}
    secretariat = users.get("sekretariat")
    for group, (region, office, people) in enumerate(DEMO_ATTENDANCE):
        for number, (name, position, desk, mode, after, signed, username) in enumerate(people):
            participant, created = Participant.objects.get_or_create(
                meeting=meeting,
                name_key=person_key(name),
                office_key=person_key(office),
                defaults={
                    "name": name,
                    "position": position,
                    "office": office,
                    "region": regions.get(region),
                    "desk": by_code.get(desk),
                    "mode": mode,
                    "phone": f"0812{7300 + group:04d}{1000 + number:04d}",
                    "user": users.get(username),
                    "created_by": secretariat,
                },
            )
            if not created or after is None:
                continue
            at = DEMO_CHECKIN_START + timedelta(minutes=after)
            participant.checked_in_at = at
            participant.checked_in_via = (
                Participant.Via.SELF if signed else Participant.Via.SECRETARIAT
            )
            if signed:
                png = demo_signature_png(name)
                participant.signature.save("ttd.png", ContentFile(png), save=False)
            participant.save(update_fields=["checked_in_at", "checked_in_via", "signature"])
            event = ParticipantEvent.objects.create(
                participant=participant,
                kind=ParticipantEvent.Kind.CHECKED_IN,
                actor=None if signed else secretariat,
            )
            ParticipantEvent.objects.filter(pk=event.pk).update(created_at=at)

    for slug, texts in [("", DEMO_PLENARY_MINUTES), *DEMO_DESK_MINUTES.items()]:
        desk = desks.get(slug) if slug else None
        if slug and desk is None:
            continue
        if Minutes.objects.filter(meeting=meeting, desk=desk).exists():
            continue
        minutes = minutes_new(meeting=meeting, desk=desk)
        for name, value in texts.items():
            setattr(minutes, name, value)
        minutes.date_text = minutes.date_text or "25 Juli 2022"
        minutes.updated_by = secretariat
        minutes.revision = 1
        minutes.save()

    for document, desk, order, name, position, rank, nip in DEMO_SIGNERS:
        Signer.objects.get_or_create(
            meeting=meeting,
            document=document,
            desk=desks.get(desk),
            order=order,
            defaults={"name": name, "position": position, "rank": rank, "nip": nip},
        )


# ---- end attendance ----


# ---- Agreement points (butir kesepakatan) ----

# (field slug, text, penanggung jawab, waktu, source issues as (region slug, title))
DEMO_POINTS = [
    (
        "bina-marga",
        "Rekonstruksi ruas jalan provinsi Sungailiat - Belinyu sepanjang 4,5 km secara bertahap "
        "mulai dari segmen dengan kerusakan berat.",
        "Dinas PUPRPRKP Provinsi Kepulauan Bangka Belitung; DPUPR Kabupaten Bangka",
        "Tahun Anggaran 2023",
        [("bangka", "Rekonstruksi ruas jalan provinsi Sungailiat - Belinyu")],
    ),
    (
        "bina-marga",
        "Penggantian Jembatan Aik Rusa di ruas Tanjung Pandan - Membalong, didahului penyusunan "
        "DED oleh Provinsi dan penyediaan lahan oleh Kabupaten.",
        "Dinas PUPRPRKP Provinsi Kepulauan Bangka Belitung; Dinas PUPR Kabupaten Belitung",
        "DED Tahun Anggaran 2023, fisik Tahun Anggaran 2024",
        [("belitung", "Penggantian Jembatan Aik Rusa di ruas Tanjung Pandan - Membalong")],
    ),
    (
        "bina-marga",
        "Peningkatan ruas jalan provinsi Manggar - Gantung diusulkan melalui Bantuan Keuangan "
        "Provinsi dengan kesiapan lahan dari Kabupaten.",
        "Dinas PUPRPRKP Provinsi Kepulauan Bangka Belitung; DPUPR Kabupaten Belitung Timur",
        "Tahun Anggaran 2023",
        [("belitung-timur", "Peningkatan ruas jalan provinsi Manggar - Gantung")],
    ),
    (
        "sumber-daya-air",
        "Pengendalian banjir DAS Rangkui melalui normalisasi sungai dan kolam retensi, "
        "dikoordinasikan dengan BWS Bangka Belitung.",
        "BWS Bangka Belitung; Dinas PUPRPRKP Provinsi; DPUPRPKP Kota Pangkalpinang",
        "Tahun Anggaran 2023",
        [("pangkalpinang", "Pengendalian banjir DAS Rangkui di pusat Kota Pangkalpinang")],
    ),
    (
        "sumber-daya-air",
        "Penanganan abrasi pantai Matras dan Rebo dengan bangunan pengaman pantai, serta "
        "pengawasan bersama atas kegiatan tambang timah lepas pantai.",
        "Dinas PUPRPRKP Provinsi Kepulauan Bangka Belitung; DPUPR Kabupaten Bangka",
        "Tahun Anggaran 2023",
        [("bangka", "Abrasi pantai Matras dan Rebo akibat tambang timah lepas pantai")],
    ),
    (
        "sumber-daya-air",
        "Rehabilitasi jaringan irigasi Daerah Irigasi Rias sesuai kewenangan Provinsi.",
        "Dinas PUPRPRKP Provinsi Kepulauan Bangka Belitung",
        "Tahun Anggaran 2023",
        [("bangka-selatan", "Rehabilitasi jaringan irigasi Daerah Irigasi Rias")],
    ),
    (
        "penataan-ruang",
        "Sinkronisasi RTRW Kabupaten Bangka Tengah dengan RTRW Provinsi melalui forum penataan "
        "ruang daerah sebelum penetapan revisi RTRW Kabupaten.",
        "Dinas PUPRPRKP Provinsi Kepulauan Bangka Belitung; DPUPR Kabupaten Bangka Tengah",
        "Triwulan IV 2022",
        [("bangka-tengah", "Sinkronisasi RTRW Kabupaten Bangka Tengah dengan RTRW Provinsi")],
    ),
    (
        "kawasan-permukiman",
        "Perluasan layanan SPAM Regional Bangka Tengah ke Kecamatan Pangkalan Baru, dengan "
        "jaringan distribusi oleh Kabupaten.",
        "Dinas PUPRPRKP Provinsi Kepulauan Bangka Belitung; DPUPR Kabupaten Bangka Tengah",
        "Tahun Anggaran 2023",
        [
            (
                "bangka-tengah",
                "Perluasan SPAM Regional Bangka Tengah ke Kecamatan Pangkalan Baru",
            )
        ],
    ),
]

# (order, name, position, rank, NIP): the parties who sign the agreement points.
DEMO_AGREEMENT_SIGNERS = [
    (
        1,
        "Ir. Hendra Kurniawan, M.T.",
        "Kepala Dinas PUPRPRKP Provinsi Kepulauan Bangka Belitung",
        "Pembina Utama Muda (IV/c)",
        "196912101996031004",
    ),
    (2, "Drs. Ahmad Fauzi, M.Si.", "Kepala DPUPR Kabupaten Bangka", "", "197203041998031002"),
    (3, "Ir. Yusuf Hamdani", "Kepala Dinas PUPR Kabupaten Belitung", "", "197006151997031005"),
    (
        4,
        "Rizal Effendi, S.T., M.T.",
        "Kepala DPUPR Kabupaten Bangka Selatan",
        "",
        "197809202003121003",
    ),
    (5, "Ir. Dedi Supriadi", "Kepala DPUPR Kabupaten Bangka Tengah", "", "197111111998031007"),
    (6, "Hasanudin, S.T.", "Kepala DPUPR Kabupaten Bangka Barat", "", "197404042001121002"),
    (7, "Agus Salim, S.T.", "Kepala DPUPR Kabupaten Belitung Timur", "", "197602022002121004"),
    (8, "Ir. Siti Rahmah, M.T.", "Kepala DPUPRPKP Kota Pangkalpinang", "", "197512122000032001"),
]


def seed_points(meeting):
    """The demo meeting's agreement points and their signers, through the services so
    that each point has its history. A desk that already has points is left as it is."""
    from issues.agreement.services import agreement_point_create
    from issues.models import AgreementPoint
    from meetings.models import Signer

    secretariat = User.objects.filter(username="sekretariat").first()
    if secretariat is None:
        return
    desks = {d.field.slug: d for d in meeting.desks.select_related("field", "meeting")}
    seeded = set(AgreementPoint.objects.filter(meeting=meeting).values_list("desk_id", flat=True))
    issues = {
        (issue.region.slug, issue.title): issue
        for issue in meeting.issues.select_related("region").filter(submitted_at__isnull=False)
    }
    for slug, text, responsible, due, sources in DEMO_POINTS:
        desk = desks.get(slug)
        if desk is None or desk.pk in seeded:
            continue
        agreement_point_create(
            actor=secretariat,
            desk=desk,
            data={"text": text, "responsible": responsible, "due": due},
            source_issues=[issues[key] for key in sources if key in issues],
        )
    for order, name, position, rank, nip in DEMO_AGREEMENT_SIGNERS:
        Signer.objects.get_or_create(
            meeting=meeting,
            document=Signer.Document.AGREEMENT,
            desk=None,
            order=order,
            defaults={"name": name, "position": position, "rank": rank, "nip": nip},
        )


# ---- end agreement points ----


# ---- RAKORGUB 2022: the signed package and a year of follow-up ----

# Region slug -> (name of the Governor, regent or mayor (fictional); who signed when they
# were away, with their position, or None when they signed themselves).
DEMO_SIGNATORIES = {
    "provinsi": ("Dr. H. Erwin Syahputra, M.Si.", None),
    "bangka": ("H. Muhammad Arifin, S.H., M.H.", None),
    "belitung": ("H. Sahrul Gunawan, S.Sos.", ("Ismail Rachman, S.H.", "Wakil Bupati Belitung")),
    "bangka-selatan": ("H. Rusdi Herman, S.E.", None),
    "bangka-tengah": ("Dr. H. Abdul Rahman, S.H., M.H.", None),
    "bangka-barat": ("Sukarman Hadi, S.H.", None),
    "belitung-timur": (
        "Burhanuddin Yusuf, S.T.",
        ("Ikhsan Fahrudin, S.Sos., M.Si.", "Sekretaris Daerah Kabupaten Belitung Timur"),
    ),
    "pangkalpinang": ("Dr. H. Maulana Akbar, S.IP., M.Si.", None),
}
DEMO_SIGNED_ON = date(2022, 7, 28)

# (point number, [(date, status, progress, username, note, evidence)]): the reports on
# each point in the order they came in; evidence is "", "photo", "pdf" or "both".
# Usernames are the delegate of a responsible region, the desk head of the field or
# the secretariat; a report by someone the rules no longer allow falls to the desk head.
DEMO_FOLLOWUP = [
    (
        1,
        [
            (
                "2022-08-22",
                "dalam_proses",
                10,
                "delegasi-bangka",
                "Survei kondisi jalan bersama UPTD Bina Marga; segmen km 18-22 rusak berat.",
                "",
            ),
            (
                "2023-03-15",
                "dalam_proses",
                45,
                "kabid-bina-marga",
                "Kontrak rekonstruksi tahap I ditandatangani 2 Maret 2023; pekerjaan tanah dan "
                "lapis pondasi berjalan.",
                "photo",
            ),
            (
                "2023-11-28",
                "selesai",
                100,
                "kabid-bina-marga",
                "Rekonstruksi 4,5 km selesai; serah terima pertama pekerjaan (PHO) "
                "24 November 2023.",
                "both",
            ),
        ],
    ),
    (
        2,
        [
            (
                "2022-10-05",
                "dalam_proses",
                15,
                "kabid-bina-marga",
                "Penyusunan DED Jembatan Aik Rusa dimulai oleh konsultan perencana.",
                "",
            ),
            (
                "2023-06-20",
                "terkendala",
                30,
                "delegasi-belitung",
                "DED selesai, tetapi pembebasan lahan oprit sisi Membalong belum tuntas: dua "
                "pemilik belum menyetujui nilai ganti rugi. Pemkab menjadwalkan musyawarah ulang.",
                "",
            ),
        ],
    ),
    (
        3,
        [
            (
                "2022-09-12",
                "belum_dimulai",
                0,
                "delegasi-belitung-timur",
                "Usulan Bantuan Keuangan Provinsi belum diajukan; dokumen kesiapan lahan "
                "masih disusun.",
                "",
            ),
        ],
    ),
    (
        4,
        [
            (
                "2022-09-30",
                "dalam_proses",
                20,
                "kabid-sda",
                "Rapat koordinasi dengan BWS Bangka Belitung; pembagian kewenangan normalisasi "
                "disepakati.",
                "",
            ),
            (
                "2023-05-17",
                "dalam_proses",
                65,
                "delegasi-pangkalpinang",
                "Normalisasi Sungai Rangkui segmen hilir selesai; kolam retensi Kacang Pedang "
                "dalam pelaksanaan.",
                "photo",
            ),
        ],
    ),
    (
        5,
        [
            (
                "2022-11-08",
                "dalam_proses",
                25,
                "delegasi-bangka",
                "Pengawasan bersama tambang timah lepas pantai dibentuk; desain pengaman pantai "
                "Matras dalam penyusunan.",
                "",
            ),
        ],
    ),
    (
        6,
        [
            (
                "2023-01-16",
                "dalam_proses",
                50,
                "kabid-sda",
                "Rehabilitasi saluran primer DI Rias berjalan; saluran sekunder menyusul.",
                "",
            ),
            (
                "2023-08-24",
                "selesai",
                100,
                "sekretariat",
                "Rehabilitasi jaringan irigasi DI Rias selesai; berita acara serah terima "
                "terlampir.",
                "pdf",
            ),
        ],
    ),
    (
        7,
        [
            (
                "2022-10-19",
                "dalam_proses",
                60,
                "kabid-penataan-ruang",
                "Forum penataan ruang daerah membahas materi teknis RTRW Kabupaten Bangka Tengah.",
                "",
            ),
            (
                "2022-12-14",
                "selesai",
                100,
                "delegasi-bangka-tengah",
                "Berita acara sinkronisasi RTRW ditandatangani; revisi RTRW Kabupaten "
                "dilanjutkan ke persetujuan substansi.",
                "photo",
            ),
        ],
    ),
    # Point 8 (SPAM Regional) has no report yet: Belum Dimulai, past its target.
]


def _demo_pdf(title, lines) -> bytes:
    from django.utils.html import escape

    from rakortek.core.pdf import html_to_pdf

    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    html = (
        '<html lang="id"><head><meta charset="utf-8"><style>@page{size:A4;margin:20mm}'
        "body{font-family:sans-serif;font-size:11pt}</style></head><body>"
        f"<h1>{escape(title)}</h1>{body}</body></html>"
    )
    return html_to_pdf(html).content


def _demo_photo(caption, seed) -> bytes:
    """A small drawn "site photo": sky, ground, a road in perspective and a caption."""
    from io import BytesIO

    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    image = Image.new("RGB", (640, 420), (135, 190, 235))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 230, 640, 420], fill=(96, 140, 70))
    draw.polygon([(300, 230), (340, 230), (560, 420), (80, 420)], fill=(70, 70, 75))
    for y in range(250, 420, 40):
        draw.line([(320, y), (320, y + 20)], fill=(240, 240, 240), width=4)
    for _ in range(6):
        x = rng.randint(10, 620)
        draw.ellipse([x - 18, 190, x + 18, 236], fill=(40, 100, 50))
    draw.rectangle([0, 385, 640, 420], fill=(0, 0, 0))
    draw.text((10, 395), caption[:90], fill=(255, 255, 255))
    out = BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _demo_evidence(kind, point_number, day, note):
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = []
    if kind in ("photo", "both"):
        files.append(
            SimpleUploadedFile(
                f"foto-butir-{point_number}-{day}.jpg",
                _demo_photo(f"Butir {point_number} - {day}", f"{point_number}-{day}"),
                content_type="image/jpeg",
            )
        )
    if kind in ("pdf", "both"):
        files.append(
            SimpleUploadedFile(
                f"berita-acara-butir-{point_number}-{day}.pdf",
                _demo_pdf(f"Berita Acara - Butir Kesepakatan {point_number}", [day, note]),
                content_type="application/pdf",
            )
        )
    return files


def seed_followup(meeting):
    """The agreement document finalised, the points forwarded to RAKORGUB 2022 and
    signed there on 28 July 2022, then a year of follow-up reports, all through the
    services. Each step already done is left as it is; a package whose follow-up has
    begun gets no more reports."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from issues.agreement.services import final_agreement_document
    from issues.followup import services as followup
    from issues.models import AgreementPoint, FollowUpUpdate, PackageSignatory
    from issues.rakorgub import services as rakorgub
    from rakortek.documents.catalog import SPECS
    from rakortek.documents.services import document_finalise

    secretariat = User.objects.filter(username="sekretariat").first()
    if secretariat is None or not AgreementPoint.objects.filter(meeting=meeting).exists():
        return None
    if final_agreement_document(meeting) is None:
        document_finalise(actor=secretariat, meeting=meeting, spec=SPECS["butir-kesepakatan"])
    package = rakorgub.package_of(meeting)
    if package is None:
        if rakorgub.forward_blocker(meeting):
            return None
        package = rakorgub.package_forward(
            actor=secretariat,
            meeting=meeting,
            note="Bahan RAKORGUB 2022: butir kesepakatan hasil RAKORTEK Bidang PU 2022.",
        )
    if not package.is_signed:
        pending = package.signatories.select_related("region").filter(
            status=PackageSignatory.Status.PENDING
        )
        for signatory in pending:
            official, stand_in = DEMO_SIGNATORIES.get(signatory.region.slug, ("", None))
            rakorgub.signatory_record(
                actor=secretariat,
                signatory=signatory,
                status=PackageSignatory.Status.SIGNED,
                signed_by_name=stand_in[0] if stand_in else official,
                signed_by_position=stand_in[1] if stand_in else "",
                stood_in=stand_in is not None,
                official_name=official,
            )
        package.refresh_from_db()
        if not package.signed_scan:
            scan = _demo_pdf(
                "Kesepakatan RAKORGUB Provinsi Kepulauan Bangka Belitung 2022",
                [
                    f"Nomor dokumen: {package.document_number}",
                    "Ditandatangani di Pangkalpinang, 28 Juli 2022, oleh Gubernur dan "
                    "Bupati/Wali Kota se-Provinsi Kepulauan Bangka Belitung.",
                    "(Pindaian contoh untuk demo.)",
                ],
            )
            rakorgub.package_scan_upload(
                actor=secretariat,
                package=package,
                uploaded_file=SimpleUploadedFile(
                    "kesepakatan-rakorgub-2022-ttd.pdf", scan, content_type="application/pdf"
                ),
            )
        package = rakorgub.package_sign(
            actor=secretariat, package=package, signed_on=DEMO_SIGNED_ON
        )
    if FollowUpUpdate.objects.filter(point__package=package).exists():
        return package
    users = {u.username: u for u in User.objects.filter(is_active=True)}
    points = {p.number: p for p in package.points.select_related("desk__field", "desk__chair")}
    for number, reports in DEMO_FOLLOWUP:
        point = points.get(number)
        if point is None or point.is_dropped:
            continue
        for day, status, progress, username, note, evidence in reports:
            author = users.get(username)
            if author is None or not followup.may_update(author, point):
                author = point.desk.chair or secretariat
            followup.followup_record(
                actor=author,
                point=point,
                status=status,
                progress=progress,
                reported_on=date.fromisoformat(day),
                note=note,
                files=_demo_evidence(evidence, number, day, note),
                caption="Dokumentasi lapangan" if evidence else "",
            )
    _date_demo_package(package)
    return package


def _date_demo_package(package):
    """Put the demo package's records at the dates they stand for: forwarded on 26 July
    2022, signed on 28 July, each report recorded on the day it describes (the services
    stamp them with the moment the demo is seeded)."""
    from issues.models import FollowUpUpdate, PackageChange

    forwarded, signed = _demo_moment(26, 15), _demo_moment(28, 14)
    type(package).objects.filter(pk=package.pk).update(
        forwarded_at=forwarded, signed_recorded_at=signed + timedelta(hours=2)
    )
    package.signatories.update(recorded_at=signed)
    changes = PackageChange.objects.filter(package=package)
    changes.filter(kind=PackageChange.Kind.FORWARDED).update(created_at=forwarded)
    changes.exclude(kind=PackageChange.Kind.FORWARDED).filter(created_at__gt=signed).update(
        created_at=signed + timedelta(hours=1)
    )
    for update in FollowUpUpdate.objects.filter(point__package=package).only("reported_on"):
        moment = datetime.combine(update.reported_on, time(10, 0), tzinfo=WIB)
        FollowUpUpdate.objects.filter(pk=update.pk).update(created_at=moment)
