"""Demo data: the 2022 RAKORTEK of Kepulauan Bangka Belitung and its people.

Every step is idempotent (get_or_create on natural keys), so running
`seed_demo` twice changes nothing.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from issues.models import Issue, IssueComment, IssueEvent, IssueSequence, RegionWindow
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
    (time(14, 0), time(15, 30), "Pleno hasil desk dan penyusunan draft butir kesepakatan", ""),
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
    return users, meeting


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
    issue = Issue.objects.create(
        meeting=meeting,
        region=region,
        desk=desk,
        proposing_office=delegate.office,
        entered_by=delegate,
        priority_order=position,
        **fields,
    )
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
