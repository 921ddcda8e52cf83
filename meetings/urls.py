from django.urls import path

from meetings import views_areas
from meetings.attendance import views as views_attendance
from meetings.attendance import views_checkin
from meetings.minutes import views as views_minutes
from meetings.setup import views, views_next_year

app_name = "meetings"

urlpatterns = [
    path("rapat/", views.meeting_list, name="list"),
    # Before <slug>/, which services.RESERVED_MEETING_SLUGS keeps from shadowing it.
    path("rapat/tambah/", views.meeting_create, name="create"),
    path("rapat/<slug:slug>/", views.meeting_detail, name="detail"),
    path("rapat/<slug:slug>/ubah/", views.meeting_update, name="update"),
    path("rapat/<slug:slug>/aktifkan/", views.meeting_activate, name="activate"),
    path("rapat/<slug:slug>/acara/tambah/", views.agenda_create, name="agenda_create"),
    path("rapat/<slug:slug>/acara/<int:pk>/ubah/", views.agenda_update, name="agenda_update"),
    path("rapat/<slug:slug>/acara/<int:pk>/hapus/", views.agenda_delete, name="agenda_delete"),
    path("rapat/<slug:slug>/desk/tambah/", views.desk_create, name="desk_create"),
    path("rapat/<slug:slug>/desk/<int:pk>/ubah/", views.desk_update, name="desk_update"),
    path("rapat/<slug:slug>/desk/<int:pk>/hapus/", views.desk_delete, name="desk_delete"),
    path("rapat/<slug:slug>/kriteria/", views.criteria_update, name="criteria"),
    path(
        "rapat/<slug:slug>/tahun-berikutnya/",
        views_next_year.meeting_next_year,
        name="next_year",
    ),
    path("bidang/", views.field_list, name="field_list"),
    # Options of the issue form's kecamatan and desa/kelurahan fields (htmx).
    path("wilayah/kecamatan/", views_areas.area_list, {"kind": "kecamatan"}, name="area_districts"),
    path("wilayah/desa/", views_areas.area_list, {"kind": "desa"}, name="area_villages"),
    path("bidang/tambah/", views.field_create, name="field_create"),
    path("bidang/<int:pk>/ubah/", views.field_update, name="field_update"),
    path("bidang/<int:pk>/hapus/", views.field_delete, name="field_delete"),
    # Attendance (meetings/attendance/views.py), secretariat only.
    path("rapat/<slug:slug>/hadir/", views_attendance.attendance_list, name="attendance"),
    path(
        "rapat/<slug:slug>/hadir/layar/",
        views_attendance.attendance_screen,
        name="attendance_screen",
    ),
    path(
        "rapat/<slug:slug>/hadir/kode-baru/",
        views_attendance.checkin_code_rotate,
        name="checkin_code_rotate",
    ),
    path(
        "rapat/<slug:slug>/hadir/tambah/",
        views_attendance.participant_create,
        name="participant_create",
    ),
    path(
        "rapat/<slug:slug>/hadir/impor/",
        views_attendance.attendance_import_start,
        name="attendance_import",
    ),
    path(
        "rapat/<slug:slug>/hadir/impor/templat.xlsx",
        views_attendance.attendance_import_template,
        name="attendance_import_template",
    ),
    path(
        "rapat/<slug:slug>/hadir/impor/simpan/",
        views_attendance.attendance_import_confirm,
        name="attendance_import_confirm",
    ),
    path(
        "rapat/<slug:slug>/hadir/<int:pk>/",
        views_attendance.participant_update,
        name="participant_update",
    ),
    path(
        "rapat/<slug:slug>/hadir/<int:pk>/catat-hadir/",
        views_attendance.participant_check_in,
        name="participant_check_in",
    ),
    path(
        "rapat/<slug:slug>/hadir/<int:pk>/batal-hadir/",
        views_attendance.participant_check_in_undo,
        name="participant_check_in_undo",
    ),
    path(
        "rapat/<slug:slug>/hadir/<int:pk>/ganti-tanda-tangan/",
        views_attendance.participant_signature_replace,
        name="participant_signature_replace",
    ),
    path(
        "rapat/<slug:slug>/hadir/<int:pk>/tanda-tangan.png",
        views_attendance.participant_signature,
        name="participant_signature",
    ),
    path(
        "rapat/<slug:slug>/hadir/<int:pk>/hapus/",
        views_attendance.participant_delete,
        name="participant_delete",
    ),
    # Self check-in (meetings/attendance/views_checkin.py), public: the code is the key.
    path("hadir/<str:code>/", views_checkin.checkin_start, name="checkin"),
    path("hadir/<str:code>/daftar/", views_checkin.checkin_register, name="checkin_register"),
    path("hadir/<str:code>/p/<str:token>/", views_checkin.checkin_sign, name="checkin_sign"),
    # Minutes and signers (meetings/minutes/views.py).
    path("rapat/<slug:slug>/notulen/", views_minutes.minutes_index, name="minutes_index"),
    path(
        "rapat/<slug:slug>/notulen/<slug:scope>/",
        views_minutes.minutes_detail,
        name="minutes_detail",
    ),
    path(
        "rapat/<slug:slug>/notulen/<slug:scope>/ubah/",
        views_minutes.minutes_edit,
        name="minutes_edit",
    ),
    path(
        "rapat/<slug:slug>/notulen/<slug:scope>/buka-kembali/",
        views_minutes.minutes_reopen,
        name="minutes_reopen",
    ),
    path(
        "rapat/<slug:slug>/notulen/<slug:scope>/versi/<int:version>/",
        views_minutes.minutes_version,
        name="minutes_version",
    ),
    path("rapat/<slug:slug>/penandatangan/", views_minutes.signers_update, name="signers"),
]
