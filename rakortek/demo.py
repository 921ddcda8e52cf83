"""Demo data: the 2022 RAKORTEK of Kepulauan Bangka Belitung and its people.

Every step is idempotent (get_or_create on natural keys), so running
`seed_demo` twice changes nothing.
"""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.db import transaction

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
    return users, meeting
