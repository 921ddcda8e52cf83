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
