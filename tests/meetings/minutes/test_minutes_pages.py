"""Minutes and signer pages: who may read, edit, finalise and reopen; the edit flows."""

import pytest
from django.urls import reverse

from meetings import services
from meetings.models import Meeting, Minutes, MinutesVersion, Signer
from tests.factories import AgendaItemFactory, MinutesFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plenary(meeting):
    return MinutesFactory(meeting=meeting)


@pytest.fixture
def bm_minutes(meeting, desk_bina_marga):
    return MinutesFactory(meeting=meeting, desk=desk_bina_marga, opening="Desk Bina Marga dibuka.")


@pytest.fixture
def sda_minutes(meeting, desk_sda):
    return MinutesFactory(meeting=meeting, desk=desk_sda, opening="Desk SDA dibuka.")


def finalise(minutes, user):
    return services.minutes_finalise(minutes=minutes, user=user)


def url(name, minutes, *extra):
    return reverse(name, args=[minutes.meeting.slug, minutes.scope, *extra])


def form_data(minutes, **overrides):
    data = {
        "revision": minutes.revision,
        "opening": minutes.opening,
        "discussion": minutes.discussion,
        "decisions": minutes.decisions,
        "closing": minutes.closing,
        "chair_name": minutes.chair_name,
        "chair_position": minutes.chair_position,
        "note_taker_name": minutes.note_taker_name,
        "place": minutes.place,
        "date_text": minutes.date_text,
    }
    data.update(overrides)
    return data


# ---- Anonymous ----


@pytest.mark.parametrize(
    "name",
    [
        "meetings:minutes_detail",
        "meetings:minutes_edit",
        "meetings:minutes_reopen",
    ],
)
def test_anonymous_visitor_is_sent_to_log_in(client, plenary, name):
    for response in (client.get(url(name, plenary)), client.post(url(name, plenary), {})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_anonymous_visitor_logs_in_for_the_index_version_and_signers(client, plenary, secretariat):
    finalise(plenary, secretariat)
    for address in (
        reverse("meetings:minutes_index", args=[plenary.meeting.slug]),
        url("meetings:minutes_version", plenary, 1),
        reverse("meetings:signers", args=[plenary.meeting.slug]),
    ):
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# ---- Secretariat ----


def test_secretariat_writes_plenary_minutes_from_nothing(as_secretariat, secretariat, meeting):
    address = reverse("meetings:minutes_edit", args=[meeting.slug, "pleno"])
    page = as_secretariat.get(address)
    assert page.status_code == 200
    assert not Minutes.objects.exists()
    blank = Minutes(meeting=meeting, place="Pangkalpinang")
    response = as_secretariat.post(address, form_data(blank, opening="Rapat dibuka."))
    assert response.status_code == 302
    minutes = Minutes.objects.get(meeting=meeting, desk=None)
    assert (minutes.opening, minutes.updated_by, minutes.version) == (
        "Rapat dibuka.",
        secretariat,
        1,
    )


def test_secretariat_edits_a_desks_minutes(as_secretariat, bm_minutes):
    response = as_secretariat.post(
        url("meetings:minutes_edit", bm_minutes), form_data(bm_minutes, decisions="Butir 1.")
    )
    assert response.status_code == 302
    bm_minutes.refresh_from_db()
    assert bm_minutes.decisions == "Butir 1."


def test_edit_page_shows_state_version_and_earlier_versions(as_secretariat, secretariat, plenary):
    finalise(plenary, secretariat)
    services.minutes_reopen(minutes=plenary, user=secretariat, reason="Koreksi daftar hadir")
    response = as_secretariat.get(url("meetings:minutes_edit", plenary))
    assert response.status_code == 200
    assert response.context["minutes"].version == 2
    assert [v.version for v in response.context["versions"]] == [1]
    html = response.content.decode()
    assert url("meetings:minutes_version", plenary, 1) in html
    assert "Koreksi daftar hadir" in html


def test_fill_in_automatically_saves_typed_text_and_fills_empty_sections(
    as_secretariat, meeting, plenary
):
    AgendaItemFactory(meeting=meeting, activity="Penutupan", ends_at=None)
    data = form_data(plenary, opening="Diketik sendiri.", closing="", prefill="1")
    response = as_secretariat.post(url("meetings:minutes_edit", plenary), data)
    assert response.status_code == 302
    plenary.refresh_from_db()
    assert plenary.opening == "Diketik sendiri."
    assert plenary.closing == "Rapat ditutup pada pukul 09.00 WIB."


def test_finalise_saves_what_was_typed_then_locks(as_secretariat, secretariat, plenary):
    data = form_data(plenary, decisions="Disepakati.", finalise="1")
    response = as_secretariat.post(url("meetings:minutes_edit", plenary), data)
    assert response.status_code == 302
    assert response["Location"] == url("meetings:minutes_detail", plenary)
    plenary.refresh_from_db()
    assert plenary.is_final and plenary.decisions == "Disepakati."
    assert MinutesVersion.objects.get(minutes=plenary).data["decisions"] == "Disepakati."


def test_a_stale_form_is_refused_and_keeps_the_typed_text(as_secretariat, secretariat, plenary):
    stale = form_data(plenary, opening="Teks saya yang panjang.")
    services.minutes_update(minutes=plenary, user=secretariat, data={"opening": "Teks orang lain."})
    response = as_secretariat.post(url("meetings:minutes_edit", plenary), stale)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert response.context["form"]["opening"].value() == "Teks saya yang panjang."
    plenary.refresh_from_db()
    assert plenary.opening == "Teks orang lain."


def test_locked_minutes_refuse_a_post(as_secretariat, secretariat, plenary):
    finalise(plenary, secretariat)
    response = as_secretariat.post(
        url("meetings:minutes_edit", plenary), form_data(plenary, opening="Diubah diam-diam.")
    )
    assert response.status_code == 302
    plenary.refresh_from_db()
    assert plenary.opening.startswith("Rapat dibuka")
    page = as_secretariat.get(url("meetings:minutes_edit", plenary))
    assert page.context["form"] is None


def test_reopen_needs_a_reason_then_makes_a_new_version(as_secretariat, secretariat, plenary):
    finalise(plenary, secretariat)
    address = url("meetings:minutes_reopen", plenary)
    assert as_secretariat.get(address).status_code == 200
    refused = as_secretariat.post(address, {"reason": ""})
    assert refused.status_code == 200
    assert "reason" in refused.context["form"].errors
    plenary.refresh_from_db()
    assert plenary.is_final

    response = as_secretariat.post(address, {"reason": "Salah ketik nama notulis."})
    assert response.status_code == 302
    plenary.refresh_from_db()
    assert (plenary.status, plenary.version) == ("draf", 2)
    old = as_secretariat.get(url("meetings:minutes_version", plenary, 1))
    assert old.status_code == 200
    assert old.context["data"]["opening"] == plenary.opening
    assert "Salah ketik nama notulis." in old.content.decode()


def test_reopening_a_draft_just_goes_to_the_editor(as_secretariat, plenary):
    response = as_secretariat.post(url("meetings:minutes_reopen", plenary), {"reason": "x"})
    assert response.status_code == 302
    plenary.refresh_from_db()
    assert plenary.version == 1


def test_an_unknown_version_or_scope_is_not_found(as_secretariat, plenary, meeting):
    assert as_secretariat.get(url("meetings:minutes_version", plenary, 7)).status_code == 404
    unknown = reverse("meetings:minutes_detail", args=[meeting.slug, "perumahan"])
    assert as_secretariat.get(unknown).status_code == 404
    other = reverse("meetings:minutes_detail", args=["tidak-ada", "pleno"])
    assert as_secretariat.get(other).status_code == 404


# ---- Desk head ----


def test_chair_edits_their_own_desks_minutes(as_kabid_bina_marga, kabid_bina_marga, bm_minutes):
    assert as_kabid_bina_marga.get(url("meetings:minutes_edit", bm_minutes)).status_code == 200
    response = as_kabid_bina_marga.post(
        url("meetings:minutes_edit", bm_minutes), form_data(bm_minutes, decisions="Prioritas 1.")
    )
    assert response.status_code == 302
    bm_minutes.refresh_from_db()
    assert (bm_minutes.decisions, bm_minutes.updated_by) == ("Prioritas 1.", kabid_bina_marga)


def test_chair_starts_their_desks_minutes_with_their_name_filled_in(
    as_kabid_bina_marga, meeting, desk_bina_marga
):
    page = as_kabid_bina_marga.get(
        reverse("meetings:minutes_edit", args=[meeting.slug, "bina-marga"])
    )
    assert page.status_code == 200
    assert page.context["form"]["chair_name"].value() == "Sutrisno Hadi"


@pytest.mark.parametrize("name", ["meetings:minutes_detail", "meetings:minutes_edit"])
def test_chair_does_not_see_another_desks_draft(as_kabid_bina_marga, sda_minutes, name):
    assert as_kabid_bina_marga.get(url(name, sda_minutes)).status_code == 404
    assert as_kabid_bina_marga.post(url(name, sda_minutes), form_data(sda_minutes)).status_code in (
        404,
        405,
    )
    sda_minutes.refresh_from_db()
    assert sda_minutes.revision == 0


def test_the_desks_note_taker_reads_its_draft_minutes_and_may_not_edit_them(
    as_observer, observer, bm_minutes, sda_minutes
):
    bm_minutes.desk.note_taker = observer
    bm_minutes.desk.save(update_fields=["note_taker"])
    assert as_observer.get(url("meetings:minutes_detail", bm_minutes)).status_code == 200
    edit = url("meetings:minutes_edit", bm_minutes)
    assert as_observer.get(edit).status_code == 403
    assert as_observer.post(edit, form_data(bm_minutes, decisions="Diam-diam")).status_code == 403
    bm_minutes.refresh_from_db()
    assert bm_minutes.decisions == ""
    # Another desk's draft stays out of reach.
    assert as_observer.get(url("meetings:minutes_detail", sda_minutes)).status_code == 404


def test_chair_does_not_see_the_plenary_draft(as_kabid_bina_marga, plenary):
    assert as_kabid_bina_marga.get(url("meetings:minutes_detail", plenary)).status_code == 404


def test_chair_may_not_finalise_even_their_own_desk(as_kabid_bina_marga, bm_minutes):
    data = form_data(bm_minutes, decisions="Diam-diam", finalise="1")
    assert (
        as_kabid_bina_marga.post(url("meetings:minutes_edit", bm_minutes), data).status_code == 403
    )
    bm_minutes.refresh_from_db()
    assert not bm_minutes.is_final and bm_minutes.decisions == ""


def test_chair_may_not_reopen(as_kabid_bina_marga, secretariat, bm_minutes):
    finalise(bm_minutes, secretariat)
    response = as_kabid_bina_marga.post(url("meetings:minutes_reopen", bm_minutes), {"reason": "x"})
    assert response.status_code == 403
    bm_minutes.refresh_from_db()
    assert bm_minutes.is_final


def test_chair_reads_another_desks_final_minutes_but_cannot_write(
    as_kabid_bina_marga, secretariat, sda_minutes
):
    finalise(sda_minutes, secretariat)
    assert as_kabid_bina_marga.get(url("meetings:minutes_detail", sda_minutes)).status_code == 200
    assert as_kabid_bina_marga.get(url("meetings:minutes_edit", sda_minutes)).status_code == 403


# ---- Observer and delegates: final minutes only, read-only ----


@pytest.mark.parametrize("who", ["as_observer", "as_delegate_pangkalpinang"])
def test_drafts_do_not_exist_for_readers(request, plenary, bm_minutes, who):
    client = request.getfixturevalue(who)
    for minutes in (plenary, bm_minutes):
        for name in ("meetings:minutes_detail", "meetings:minutes_edit"):
            assert client.get(url(name, minutes)).status_code == 404
    new_desk_minutes = reverse("meetings:minutes_detail", args=[plenary.meeting.slug, "pleno"])
    assert client.get(new_desk_minutes).status_code == 404


@pytest.mark.parametrize("who", ["as_observer", "as_delegate_pangkalpinang"])
def test_readers_read_final_minutes_and_their_versions(request, secretariat, plenary, who):
    finalise(plenary, secretariat)
    client = request.getfixturevalue(who)
    response = client.get(url("meetings:minutes_detail", plenary))
    assert response.status_code == 200
    assert plenary.opening in response.content.decode()
    assert client.get(url("meetings:minutes_version", plenary, 1)).status_code == 200


@pytest.mark.parametrize("who", ["as_observer", "as_delegate_pangkalpinang"])
def test_readers_get_403_on_every_write(request, secretariat, plenary, who):
    finalise(plenary, secretariat)
    client = request.getfixturevalue(who)
    assert client.get(url("meetings:minutes_edit", plenary)).status_code == 403
    assert client.post(url("meetings:minutes_edit", plenary), form_data(plenary)).status_code == 403
    assert client.get(url("meetings:minutes_reopen", plenary)).status_code == 403
    assert client.post(url("meetings:minutes_reopen", plenary), {"reason": "x"}).status_code == 403
    plenary.refresh_from_db()
    assert plenary.is_final and plenary.version == 1


def test_minutes_of_a_draft_meeting_do_not_exist_for_participants(
    as_observer, secretariat, plenary
):
    finalise(plenary, secretariat)
    Meeting.objects.filter(pk=plenary.meeting_id).update(status=Meeting.Status.DRAFT)
    assert as_observer.get(url("meetings:minutes_detail", plenary)).status_code == 404
    index = reverse("meetings:minutes_index", args=[plenary.meeting.slug])
    assert as_observer.get(index).status_code == 404


# ---- Index ----


def test_index_lists_what_each_role_may_open(
    request, secretariat, meeting, plenary, bm_minutes, sda_minutes
):
    finalise(sda_minutes, secretariat)
    index = reverse("meetings:minutes_index", args=[meeting.slug])

    def scopes(who):
        rows = request.getfixturevalue(who).get(index).context["rows"]
        return [(row["scope"], row["can_edit"]) for row in rows]

    assert scopes("as_secretariat") == [
        ("pleno", True),
        ("bina-marga", True),
        ("sumber-daya-air", True),
    ]
    assert scopes("as_kabid_bina_marga") == [("bina-marga", True), ("sumber-daya-air", False)]
    assert scopes("as_observer") == [("sumber-daya-air", False)]
    assert scopes("as_delegate_bangka") == [("sumber-daya-air", False)]


def test_index_needs_the_same_queries_for_many_desks(
    as_secretariat, meeting, desk_bina_marga, desk_sda, django_assert_max_num_queries
):
    MinutesFactory(meeting=meeting, desk=desk_bina_marga)
    MinutesFactory(meeting=meeting, desk=desk_sda)
    with django_assert_max_num_queries(6):
        response = as_secretariat.get(reverse("meetings:minutes_index", args=[meeting.slug]))
    assert len(response.context["rows"]) == 3


# ---- Signers ----


def signer_data(rows, document="notulen", desk=""):
    data = {
        "signers-TOTAL_FORMS": str(len(rows)),
        "signers-INITIAL_FORMS": str(sum(1 for r in rows if r.get("id"))),
        "signers-MIN_NUM_FORMS": "0",
        "signers-MAX_NUM_FORMS": "10",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"signers-{index}-{key}"] = value
    return data


def test_secretariat_sets_the_signers_of_a_desks_minutes(as_secretariat, meeting, desk_bina_marga):
    address = reverse("meetings:signers", args=[meeting.slug]) + (
        f"?document=notulen&desk={desk_bina_marga.pk}"
    )
    assert as_secretariat.get(address).status_code == 200
    rows = [
        {
            "order": "1",
            "name": "Ir. Sutrisno Hadi, M.T.",
            "position": "Kepala Bidang Bina Marga",
            "rank": "Pembina Tk. I (IV/b)",
            "nip": "196805121994031007",
        },
        {"order": "1", "name": "", "position": "", "rank": "", "nip": ""},
    ]
    response = as_secretariat.post(address, signer_data(rows))
    assert response.status_code == 302
    signer = Signer.objects.get()
    assert (signer.desk, signer.document, signer.nip) == (
        desk_bina_marga,
        "notulen",
        "196805121994031007",
    )


def test_a_wrong_nip_is_refused_with_the_input_kept(as_secretariat, meeting):
    address = reverse("meetings:signers", args=[meeting.slug])
    rows = [{"order": "1", "name": "Agus", "position": "Kepala Dinas", "rank": "", "nip": "123"}]
    response = as_secretariat.post(address, signer_data(rows))
    assert response.status_code == 200
    form = response.context["formset"].forms[0]
    assert "nip" in form.errors
    assert form["name"].value() == "Agus"
    assert not Signer.objects.exists()


def test_signers_are_kept_apart_per_document(as_secretariat, meeting):
    Signer.objects.create(meeting=meeting, document="daftar_hadir", name="A", position="B")
    page = as_secretariat.get(
        reverse("meetings:signers", args=[meeting.slug]) + "?document=notulen"
    )
    assert list(page.context["formset"].queryset) == []


@pytest.mark.parametrize("who", ["as_kabid_bina_marga", "as_delegate_bangka", "as_observer"])
def test_only_the_secretariat_sets_signers(request, meeting, who):
    client = request.getfixturevalue(who)
    address = reverse("meetings:signers", args=[meeting.slug])
    assert client.get(address).status_code == 403
    assert client.post(address, signer_data([])).status_code == 403


def test_signers_of_an_unknown_meeting_are_not_found(as_secretariat):
    assert as_secretariat.get(reverse("meetings:signers", args=["tidak-ada"])).status_code == 404
