from django.urls import path

from issues.agreement import views as views_points
from issues.board import views as views_board
from issues.board import views_assent, views_duplicates, views_live
from issues.followup import views as views_followup
from issues.rakorgub import views as views_rakorgub
from issues.submission import views, views_carry, views_import
from issues.submission import views_attachments as views_files

app_name = "issues"

urlpatterns = [
    path("rapat/<slug:slug>/isu/", views.meeting_issues, name="meeting_issues"),
    path("rapat/<slug:slug>/isu/tambah/", views.issue_create, name="create"),
    path("rapat/<slug:slug>/desk/<slug:field_slug>/", views.desk_issues, name="desk_issues"),
    path("rapat/<slug:slug>/pembukaan-kembali/", views.region_windows, name="region_windows"),
    path(
        "rapat/<slug:slug>/pembukaan-kembali/<int:pk>/hapus/",
        views.region_window_delete,
        name="region_window_delete",
    ),
    # Issues of earlier years carried over (issues/submission/views_carry.py)
    path("rapat/<slug:slug>/isu-tahun-lalu/", views_carry.carry_list, name="carry_list"),
    path(
        "rapat/<slug:slug>/isu-tahun-lalu/<int:pk>/bawa/",
        views_carry.carry_over,
        name="carry_over",
    ),
    path("isu/<int:pk>/", views.issue_detail, name="detail"),
    path("isu/<int:pk>/ubah/", views.issue_edit, name="edit"),
    path("isu/<int:pk>/ajukan/", views.issue_submit, name="submit"),
    path("isu/<int:pk>/tarik/", views.issue_withdraw, name="withdraw"),
    path("isu/<int:pk>/kembalikan/", views.issue_return, name="return"),
    path("isu/<int:pk>/verifikasi/", views.issue_verify, name="verify"),
    path("isu/<int:pk>/komentar/", views.issue_comment, name="comment"),
    path("isu/<int:pk>/urutan/", views.issue_move, name="move"),
    # Supporting files (issues/submission/views_attachments.py)
    path("isu/<int:pk>/lampiran/", views_files.attachment_upload, name="attachment_upload"),
    path(
        "isu/<int:pk>/lampiran/<int:attachment_pk>/",
        views_files.attachment_download,
        name="attachment_download",
    ),
    path(
        "isu/<int:pk>/lampiran/<int:attachment_pk>/kecil/",
        views_files.attachment_thumbnail,
        name="attachment_thumbnail",
    ),
    path(
        "isu/<int:pk>/lampiran/<int:attachment_pk>/hapus/",
        views_files.attachment_delete_view,
        name="attachment_delete",
    ),
    # Spreadsheet import (issues/submission/views_import.py)
    path("rapat/<slug:slug>/isu/impor/", views_import.import_start, name="import"),
    path(
        "rapat/<slug:slug>/isu/impor/templat.xlsx",
        views_import.import_template,
        name="import_template",
    ),
    path("rapat/<slug:slug>/isu/impor/simpan/", views_import.import_confirm, name="import_confirm"),
    # The desk board (issues/board/views.py)
    path("desk/<int:desk_id>/papan/", views_board.board, name="board"),
    path(
        "desk/<int:desk_id>/papan/isu/<int:pk>/", views_board.board_issue_page, name="board_issue"
    ),
    path("desk/<int:desk_id>/papan/skor/<int:pk>/", views_board.board_score, name="board_score"),
    path("desk/<int:desk_id>/papan/peringkat/<int:pk>/", views_board.board_rank, name="board_rank"),
    path(
        "desk/<int:desk_id>/papan/urutan-usulan/",
        views_board.board_apply_proposed,
        name="board_apply_proposed",
    ),
    path(
        "desk/<int:desk_id>/papan/keputusan/<int:pk>/",
        views_board.board_decide,
        name="board_decide",
    ),
    path(
        "desk/<int:desk_id>/papan/verifikasi/<int:pk>/",
        views_board.board_verify,
        name="board_verify",
    ),
    path(
        "desk/<int:desk_id>/papan/kembalikan/<int:pk>/",
        views_board.board_return,
        name="board_return",
    ),
    path("desk/<int:desk_id>/papan/kunci/", views_board.board_lock, name="board_lock"),
    path("desk/<int:desk_id>/papan/buka-kunci/", views_board.board_unlock, name="board_unlock"),
    # The regions' assent to the desk's decisions (issues/board/views_assent.py)
    path(
        "desk/<int:desk_id>/papan/persetujuan/",
        views_assent.board_assent_open,
        name="board_assent_open",
    ),
    path("persetujuan/", views_assent.assent_list, name="assent_list"),
    path("persetujuan/<int:pk>/", views_assent.assent_answer, name="assent_answer"),
    # Duplicates and merges (issues/board/views_duplicates.py)
    path("desk/<int:desk_id>/duplikat/", views_duplicates.duplicates, name="duplicates"),
    path("desk/<int:desk_id>/gabung/", views_duplicates.merge, name="merge"),
    path("isu/<int:pk>/batal-gabung/", views_duplicates.unmerge, name="unmerge"),
    # The live board for the projector (issues/board/views_live.py)
    path("desk/<int:desk_id>/layar/", views_live.live_board, name="live_board"),
    path("desk/<int:desk_id>/layar/baris/", views_live.live_rows, name="live_rows"),
    # Agreement points (issues/agreement/views.py)
    path("desk/<int:desk_id>/butir/", views_points.points, name="points"),
    path("desk/<int:desk_id>/butir/tambah/", views_points.point_create, name="point_create"),
    path("desk/<int:desk_id>/butir/susun/", views_points.points_draft, name="points_draft"),
    path("desk/<int:desk_id>/butir/<int:pk>/ubah/", views_points.point_edit, name="point_edit"),
    path("desk/<int:desk_id>/butir/<int:pk>/pindah/", views_points.point_move, name="point_move"),
    path(
        "desk/<int:desk_id>/butir/<int:pk>/hapus/", views_points.point_delete, name="point_delete"
    ),
    path(
        "rapat/<slug:slug>/butir-kesepakatan/", views_points.meeting_points, name="meeting_points"
    ),
    # The follow-up of the signed agreement points (issues/followup/views.py)
    path("tindak-lanjut/", views_followup.overview, name="followup"),
    path("tindak-lanjut/pengingat/", views_followup.send_reminders, name="followup_remind"),
    path("tindak-lanjut/butir/<int:pk>/", views_followup.point_detail, name="followup_point"),
    path(
        "tindak-lanjut/butir/<int:pk>/target/",
        views_followup.point_target,
        name="followup_target",
    ),
    path(
        "tindak-lanjut/bukti/<int:pk>/",
        views_followup.evidence_download,
        name="followup_evidence",
    ),
    path(
        "tindak-lanjut/bukti/<int:pk>/kecil/",
        views_followup.evidence_thumbnail,
        name="followup_evidence_thumbnail",
    ),
    # The package forwarded to RAKORGUB (issues/rakorgub/views.py)
    path("rapat/<slug:slug>/rakorgub/", views_rakorgub.package, name="package"),
    path(
        "rapat/<slug:slug>/rakorgub/catat-rakorgub/",
        views_rakorgub.package_rakorgub_create,
        name="package_rakorgub_create",
    ),
    path(
        "rapat/<slug:slug>/rakorgub/teruskan/",
        views_rakorgub.package_forward,
        name="package_forward",
    ),
    path(
        "rapat/<slug:slug>/rakorgub/butir/<int:pk>/ubah/",
        views_rakorgub.point_amend,
        name="package_point_amend",
    ),
    path(
        "rapat/<slug:slug>/rakorgub/butir/<int:pk>/batal/",
        views_rakorgub.point_drop,
        name="package_point_drop",
    ),
    path(
        "rapat/<slug:slug>/rakorgub/butir/<int:pk>/pulihkan/",
        views_rakorgub.point_restore,
        name="package_point_restore",
    ),
    path(
        "rapat/<slug:slug>/rakorgub/penanda-tangan/<int:pk>/",
        views_rakorgub.signatory,
        name="package_signatory",
    ),
    path(
        "rapat/<slug:slug>/rakorgub/pindaian/",
        views_rakorgub.scan_upload,
        name="package_scan_upload",
    ),
    path("rapat/<slug:slug>/rakorgub/tandatangani/", views_rakorgub.sign, name="package_sign"),
    path(
        "rapat/<slug:slug>/rakorgub/buka-kembali/",
        views_rakorgub.signing_reopen,
        name="package_reopen",
    ),
    path("rakorgub/<int:pk>/pindaian/", views_rakorgub.scan_download, name="package_scan"),
]
