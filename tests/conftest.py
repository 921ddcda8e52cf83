"""The named cast every test can ask for, and the meeting they work in.

secretariat, desk head of Bina Marga (chairs the Bina Marga desk), desk head of
SDA (chairs the SDA desk), delegate of Pangkalpinang, delegate of Bangka,
observer, and the anonymous visitor (the plain `client`).
"""

import importlib

import pytest
from django.apps import apps as django_apps
from django.test import Client

from rakortek.accounts.models import Role
from tests.factories import DeskFactory, MeetingFactory, UserFactory, field, region


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Put back the regions and fields of migration 0002 for transactional tests.

    A transactional test (a live server, a concurrency test) empties the whole
    database when it ends, reference data included, so the next one would find
    no regions. Ordinary tests roll back and keep them.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    migration = importlib.import_module("meetings.migrations.0002_regions_and_fields")
    migration.add_reference_data(django_apps, None)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, as it starts with its own database: a board
    cached in one test must not answer in another that reuses its ids."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs ~0.3 s per user; the hash itself is not under test here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def secretariat(db):
    return UserFactory(username="sekretariat", full_name="Nurhayati", role=Role.SECRETARIAT)


@pytest.fixture
def kabid_bina_marga(db):
    return UserFactory(username="kabid-bina-marga", full_name="Sutrisno Hadi", role=Role.DESK_HEAD)


@pytest.fixture
def kabid_sda(db):
    return UserFactory(username="kabid-sda", full_name="Rahmat Hidayat", role=Role.DESK_HEAD)


@pytest.fixture
def delegate_pangkalpinang(db):
    return UserFactory(
        username="delegasi-pangkalpinang",
        full_name="Maya Sari",
        role=Role.DELEGATE,
        region=region("pangkalpinang"),
    )


@pytest.fixture
def delegate_bangka(db):
    return UserFactory(
        username="delegasi-bangka",
        full_name="Budi Santoso",
        role=Role.DELEGATE,
        region=region("bangka"),
    )


@pytest.fixture
def observer(db):
    return UserFactory(username="pengamat", full_name="Teguh Prasetyo", role=Role.OBSERVER)


@pytest.fixture
def meeting(db):
    return MeetingFactory(title="RAKORTEK PU 2022", slug="rakortek-2022")


@pytest.fixture
def desk_bina_marga(meeting, kabid_bina_marga):
    return DeskFactory(meeting=meeting, field=field("bina-marga"), chair=kabid_bina_marga)


@pytest.fixture
def desk_sda(meeting, kabid_sda):
    return DeskFactory(meeting=meeting, field=field("sumber-daya-air"), chair=kabid_sda)


def pytest_report_header(config):
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database.get('NAME', '')}"


def _logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def as_secretariat(secretariat):
    return _logged_in(secretariat)


@pytest.fixture
def as_kabid_bina_marga(kabid_bina_marga):
    return _logged_in(kabid_bina_marga)


@pytest.fixture
def as_kabid_sda(kabid_sda):
    return _logged_in(kabid_sda)


@pytest.fixture
def as_delegate_pangkalpinang(delegate_pangkalpinang):
    return _logged_in(delegate_pangkalpinang)


@pytest.fixture
def as_delegate_bangka(delegate_bangka):
    return _logged_in(delegate_bangka)


@pytest.fixture
def as_observer(observer):
    return _logged_in(observer)


# ---- After the meeting: a RAKORTEK with final agreement points, its package ----


def _final_agreement_document(meeting, user):
    """A current final agreement document, as the documents layer stores it."""
    from rakortek.documents.models import FinalDocument

    return FinalDocument.objects.create(
        meeting=meeting,
        kind=FinalDocument.Kind.AGREEMENT,
        title="Butir Kesepakatan",
        number=f"BK/{meeting.slug.upper()}/V1",
        version=1,
        file="dokumen/butir.pdf",
        content_type="application/pdf",
        size=1,
        sha256="a" * 64,
        verification_code=f"kode-{meeting.pk}",
        finalised_by=user,
    )


@pytest.fixture
def agreed_meeting(db, secretariat, kabid_bina_marga, kabid_sda):
    """A RAKORTEK held a month ago, its RAKORGUB three days later, and a final agreement
    document with three points: Bina Marga 1 (Pangkalpinang), Bina Marga 2 (Bangka),
    SDA 3 (Pangkalpinang and Bangka, "Triwulan III")."""
    from datetime import timedelta

    from django.utils import timezone

    from issues.agreement.services import agreement_point_create
    from issues.models import Issue
    from tests.factories import IssueFactory, RakorgubFactory

    held = timezone.now() - timedelta(days=30)
    meeting = MeetingFactory(
        title="RAKORTEK PU 2022",
        slug="rakortek-2022",
        starts_at=held,
        submission_opens_at=held - timedelta(days=20),
        submission_closes_at=held - timedelta(days=2),
    )
    RakorgubFactory(
        follows=meeting,
        title="RAKORGUB 2022",
        slug="rakorgub-2022",
        starts_at=held + timedelta(days=3),
    )
    bina_marga = DeskFactory(meeting=meeting, field=field("bina-marga"), chair=kabid_bina_marga)
    sda = DeskFactory(meeting=meeting, field=field("sumber-daya-air"), chair=kabid_sda)

    def priority(desk, region_slug, title):
        issue = IssueFactory(desk=desk, region=region(region_slug), title=title)
        number = Issue.objects.filter(desk=desk, number__isnull=False).count() + 1
        Issue.objects.filter(pk=issue.pk).update(
            number=number,
            status=Issue.Status.AGREED,
            decision=Issue.Decision.PRIORITY,
            rank=number,
            submitted_at=timezone.now(),
        )
        issue.refresh_from_db()
        return issue

    road = priority(bina_marga, "pangkalpinang", "Pelebaran Jalan Lingkar Timur")
    bridge = priority(bina_marga, "bangka", "Rekonstruksi ruas Sungailiat - Belinyu")
    flood = priority(sda, "pangkalpinang", "Pengendalian banjir DAS Rangkui")
    flood.joint_regions.set([region("bangka")])
    agreement_point_create(
        actor=secretariat,
        desk=bina_marga,
        data={
            "text": "Pelebaran Jalan Lingkar Timur Kota Pangkalpinang.",
            "responsible": "Dinas PUPRPRKP Provinsi; DPUPRPKP Kota Pangkalpinang",
            "due": "Tahun Anggaran 2023",
        },
        source_issues=[road],
    )
    agreement_point_create(
        actor=secretariat,
        desk=bina_marga,
        data={
            "text": "Rekonstruksi ruas Sungailiat - Belinyu.",
            "responsible": "Dinas PUPRPRKP Provinsi",
            "due": "Tahun Anggaran 2023",
        },
        source_issues=[bridge],
    )
    agreement_point_create(
        actor=secretariat,
        desk=sda,
        data={
            "text": "Normalisasi Sungai Rangkui dan kolam retensi Kacang Pedang.",
            "responsible": "BWS Bangka Belitung; Dinas PUPRPRKP Provinsi",
            "due": "Triwulan III 2023",
        },
        source_issues=[flood],
    )
    _final_agreement_document(meeting, secretariat)
    return meeting


@pytest.fixture
def package(agreed_meeting, secretariat):
    """The agreed meeting's points forwarded to its RAKORGUB (not yet signed)."""
    from issues.rakorgub.services import package_forward

    return package_forward(actor=secretariat, meeting=agreed_meeting)


def minimal_pdf() -> bytes:
    """A small valid PDF (for uploads that are checked like attachments)."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded and rendered files go to the test's own temporary folder (every test:
    tests running in parallel never share a folder)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def signed_package(package, secretariat, media):
    """The package signed at RAKORGUB, with the signed scan uploaded."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    package.signed_on = package.rakorgub.starts_at.date()
    package.signed_scan.save("pindaian.pdf", ContentFile(minimal_pdf()), save=False)
    package.signed_scan_name = "pindaian.pdf"
    package.status = package.Status.SIGNED
    package.signed_recorded_by = secretariat
    package.signed_recorded_at = timezone.now()
    package.save()
    return package


PRODUCTION_STATIC_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def production_static_settings(static_root) -> dict:
    """The static settings of a server (DEBUG=0), with files collected into `static_root`."""
    from django.conf import settings

    return {
        "DEBUG": False,
        "STATIC_ROOT": static_root,
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": PRODUCTION_STATIC_STORAGE},
        },
    }


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """STATIC_ROOT as `collectstatic` leaves it on a server: hashed, compressed, with a manifest.

    Collected once per test session (compressing every file takes several seconds).
    """
    from django.core.management import call_command
    from django.test import override_settings

    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(**production_static_settings(root)):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def production_static(collected_static):
    """Render and serve static files as production does: the manifest storage, DEBUG off."""
    from django.test import override_settings

    with override_settings(**production_static_settings(collected_static)):
        yield collected_static
