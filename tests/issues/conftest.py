"""Issues in the shared meeting: drafts and submitted ones of Pangkalpinang and Bangka."""

from datetime import timedelta

import pytest
from django.utils import timezone

from issues import services
from tests.factories import IssueFactory, region


def form_data(desk, /, **overrides):
    """What a delegate types into the issue form, as the browser posts it."""
    data = {
        "desk": desk.pk,
        "title": "Perbaikan jembatan Sungai Rangkui yang retak",
        "proposing_office": "DPUPRPKP Kota Pangkalpinang",
        "problem": "Lantai jembatan retak dan sandaran rusak sehingga membahayakan pengguna.",
        "current_condition": "Jembatan beton bentang 20 m dibangun tahun 1998.",
        "proposed_handling": "Rehabilitasi lantai dan sandaran jembatan.",
        "support_requested": "Bantuan keuangan provinsi untuk rehabilitasi.",
        "district": "Rangkui",
        "village": "Masjid Jamik",
        "place": "Jalan Masjid Jamik",
        "latitude": "-2,1291",
        "longitude": "106,1131",
        "volume": "20",
        "unit": "m",
        "estimated_cost": "Rp 1.250.000.000,00",
        "funding_source": "bankeu_provinsi",
        "authority": "kabupaten_kota",
        "land_readiness": "ada",
        "ded_readiness": "proses",
        "environmental_readiness": "belum",
        "plan_link": "RPJMD Kota Pangkalpinang 2018-2023, program peningkatan jalan dan jembatan.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def draft(desk_bina_marga, delegate_pangkalpinang):
    """A draft of Pangkalpinang in the Bina Marga desk."""
    return IssueFactory(desk=desk_bina_marga, entered_by=delegate_pangkalpinang)


@pytest.fixture
def submitted(desk_bina_marga, delegate_pangkalpinang):
    """A submitted issue of Pangkalpinang in the Bina Marga desk (BM-01)."""
    issue = IssueFactory(desk=desk_bina_marga, entered_by=delegate_pangkalpinang)
    return services.issue_submit(actor=delegate_pangkalpinang, issue=issue)


@pytest.fixture
def bangka_draft(desk_bina_marga, delegate_bangka):
    return IssueFactory(
        desk=desk_bina_marga,
        region=region("bangka"),
        entered_by=delegate_bangka,
        title="Pelebaran Jalan Sungailiat - Pangkalpinang",
    )


@pytest.fixture
def bangka_submitted(bangka_draft, delegate_bangka):
    return services.issue_submit(actor=delegate_bangka, issue=bangka_draft)


@pytest.fixture
def sda_submitted(desk_sda, delegate_pangkalpinang):
    issue = IssueFactory(
        desk=desk_sda, entered_by=delegate_pangkalpinang, title="Banjir di DAS Rangkui"
    )
    return services.issue_submit(actor=delegate_pangkalpinang, issue=issue)


def close_submission(meeting):
    meeting.submission_closes_at = timezone.now() - timedelta(hours=1)
    meeting.submission_opens_at = timezone.now() - timedelta(days=10)
    meeting.save(update_fields=["submission_closes_at", "submission_opens_at"])


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The cast logs in by password in a few tests only; a slow hash would dominate the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
