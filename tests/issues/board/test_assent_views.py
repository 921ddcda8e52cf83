"""The assent pages: the desk opens a round from the board, a delegate answers on the
list, the board shows the answers, the lock asks for confirmation while the round is
open; out-of-scope regions and late answers are refused by the server."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from issues.models import AssentItem, AssentRound, DeskLockRecord, DeskState
from tests.factories import region
from tests.issues.board.assent_helpers import decided_desk, open_round
from tests.issues.board.helpers import version

pytestmark = pytest.mark.django_db
NOTE = "Ruas ini menghubungkan dua kabupaten; mohon dijadikan Prioritas."


@pytest.fixture
def decided(desk_bina_marga, secretariat, kabid_bina_marga):
    return decided_desk(desk_bina_marga, secretariat, kabid_bina_marga)


@pytest.fixture
def asked(decided, desk_bina_marga, kabid_bina_marga):
    return open_round(desk_bina_marga, kabid_bina_marga)


def answer_url(item):
    return reverse("issues:assent_answer", kwargs={"pk": item.pk})


def post_answer(client, item, answer, note=""):
    return client.post(answer_url(item), {f"i{item.pk}-answer": answer, f"i{item.pk}-note": note})


def test_the_head_opens_a_round_with_a_deadline(decided, desk_bina_marga, as_kabid_bina_marga):
    url = reverse("issues:board_assent_open", kwargs={"desk_id": desk_bina_marga.pk})
    past = timezone.localtime() - timedelta(hours=1)
    response = as_kabid_bina_marga.post(
        url, {"version": version(desk_bina_marga), "deadline": past.strftime("%Y-%m-%dT%H:%M")}
    )
    assert response.status_code == 200
    assert "Batas waktu jawaban harus di masa depan." in response.content.decode()
    assert not AssentRound.objects.exists()
    future = timezone.localtime() + timedelta(days=1)
    response = as_kabid_bina_marga.post(
        url, {"version": version(desk_bina_marga), "deadline": future.strftime("%Y-%m-%dT%H:%M")}
    )
    assert response.status_code == 302
    assert AssentRound.objects.get(desk=desk_bina_marga).items.count() == 3


def test_a_delegate_sees_its_own_and_joint_issues_only(
    decided, asked, as_delegate_pangkalpinang, as_delegate_bangka
):
    own, joint = decided
    page = as_delegate_pangkalpinang.get(reverse("issues:assent_list")).content.decode()
    assert own.title in page and joint.title in page
    assert "Menunggu DED selesai." in page
    page = as_delegate_bangka.get(reverse("issues:assent_list")).content.decode()
    assert joint.title in page and own.title not in page


def test_an_objection_without_a_note_is_refused_and_with_a_note_saved(
    decided, asked, as_delegate_pangkalpinang
):
    _own, joint = decided
    item = asked.items.get(issue=joint, region=region("pangkalpinang"))
    response = post_answer(as_delegate_pangkalpinang, item, "keberatan")
    assert response.status_code == 200
    assert "Tuliskan alasan keberatan." in response.content.decode()
    item.refresh_from_db()
    assert item.answer == ""
    response = post_answer(as_delegate_pangkalpinang, item, "keberatan", NOTE)
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.answer, item.note) == ("keberatan", NOTE)


def test_another_regions_delegate_gets_not_found_and_the_desk_may_only_read(
    decided, asked, as_delegate_bangka, as_kabid_bina_marga, as_observer
):
    own, _joint = decided
    item = asked.items.get(issue=own)
    assert post_answer(as_delegate_bangka, item, "setuju").status_code == 404
    assert as_delegate_bangka.get(answer_url(item)).status_code == 404
    assert as_observer.get(answer_url(item)).status_code == 404
    assert as_kabid_bina_marga.get(answer_url(item)).status_code == 200
    assert post_answer(as_kabid_bina_marga, item, "setuju").status_code == 403
    item.refresh_from_db()
    assert item.answer == ""


def test_a_post_after_the_deadline_is_refused_with_a_message(
    decided, asked, as_delegate_pangkalpinang
):
    own, _joint = decided
    AssentRound.objects.filter(pk=asked.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    item = asked.items.get(issue=own)
    response = post_answer(as_delegate_pangkalpinang, item, "setuju")
    assert response.status_code == 200
    assert "Batas waktu menjawab telah lewat" in response.content.decode()
    item.refresh_from_db()
    assert item.answer == ""
    # The list no longer offers the form.
    page = as_delegate_pangkalpinang.get(reverse("issues:assent_list")).content.decode()
    assert "jawaban tidak lagi diterima" in page
    assert "Kirim jawaban" not in page


def test_the_board_shows_each_regions_answer_and_the_home_the_next_step(
    decided,
    asked,
    desk_bina_marga,
    as_delegate_pangkalpinang,
    as_kabid_bina_marga,
    delegate_pangkalpinang,
):
    home = as_delegate_pangkalpinang.get(reverse("home")).content.decode()
    assert "Desk meminta persetujuan daerah Anda" in home
    assert "2 isu perlu dijawab" in home
    _own, joint = decided
    item = asked.items.get(issue=joint, region=region("pangkalpinang"))
    post_answer(as_delegate_pangkalpinang, item, "keberatan", NOTE)
    board = as_kabid_bina_marga.get(
        reverse("issues:board", kwargs={"desk_id": desk_bina_marga.pk})
    ).content.decode()
    assert "Persetujuan daerah" in board
    assert NOTE in board
    assert delegate_pangkalpinang.get_full_name() in board
    assert "Setuju 0 · Keberatan 1 · belum menjawab 2." in board
    home = as_delegate_pangkalpinang.get(reverse("home")).content.decode()
    assert "1 isu perlu dijawab" in home


def test_locking_during_an_open_round_needs_the_confirmation(
    decided, asked, desk_bina_marga, as_kabid_bina_marga
):
    url = reverse("issues:board_lock", kwargs={"desk_id": desk_bina_marga.pk})
    assert "centang konfirmasi" in as_kabid_bina_marga.get(url).content.decode()
    response = as_kabid_bina_marga.post(url, {"version": version(desk_bina_marga)})
    assert response.status_code == 200
    assert "Konfirmasikan bahwa desk dikunci sekarang" in response.content.decode()
    assert not DeskState.objects.get(desk=desk_bina_marga).is_locked
    response = as_kabid_bina_marga.post(
        url, {"version": version(desk_bina_marga), "confirm_open_assent": "on"}
    )
    assert response.status_code == 302
    assert DeskState.objects.get(desk=desk_bina_marga).is_locked
    record = DeskLockRecord.objects.get(desk=desk_bina_marga)
    assert len(record.detail["answers"]) == AssentItem.objects.filter(round=asked).count()


def test_the_issue_history_shows_the_request_and_the_answer(
    decided, asked, as_delegate_pangkalpinang
):
    _own, joint = decided
    item = asked.items.get(issue=joint, region=region("pangkalpinang"))
    post_answer(as_delegate_pangkalpinang, item, "keberatan", NOTE)
    page = as_delegate_pangkalpinang.get(joint.get_absolute_url()).content.decode()
    assert "Daerah dimintai persetujuan atas keputusan (putaran 1)" in page
    assert "Kota Pangkalpinang menjawab (putaran 1):" in page
    assert NOTE in page


def test_the_boards_assent_block_reads_in_as_many_queries_for_few_and_many_issues(
    desk_bina_marga,
    secretariat,
    kabid_bina_marga,
    as_kabid_bina_marga,
    django_assert_max_num_queries,
):
    from issues import services
    from tests.issues.board.helpers import verified

    url = reverse("issues:board", kwargs={"desk_id": desk_bina_marga.pk})

    def add_and_ask(count):
        for n in range(count):
            slug = ("pangkalpinang", "bangka", "belitung")[n % 3]
            issue = verified(desk_bina_marga, secretariat, region_slug=slug)
            services.issue_decide(
                actor=kabid_bina_marga,
                issue=issue,
                decision="cadangan",
                reason=f"Alasan {n}.",
                version=version(desk_bina_marga),
            )
        open_round(desk_bina_marga, kabid_bina_marga)

    add_and_ask(2)
    with django_assert_max_num_queries(30) as few:
        assert as_kabid_bina_marga.get(url).status_code == 200
    add_and_ask(10)
    with django_assert_max_num_queries(30) as many:
        assert as_kabid_bina_marga.get(url).status_code == 200
    # One more round shown (the earlier one): one more query for its answers.
    assert len(many.captured_queries) == len(few.captured_queries) + 1
