from django.urls import path

from rakortek.documents import views

app_name = "documents"

urlpatterns = [
    path("v/<str:code>/", views.verify, name="verify"),
    path("rapat/<slug:slug>/dokumen/", views.meeting_documents, name="meeting"),
    path(
        "rapat/<slug:slug>/dokumen/finalisasi-semua/",
        views.documents_finalise_all_view,
        name="finalise_all",
    ),
    path("rapat/<slug:slug>/dokumen/unduh-semua/", views.documents_zip_view, name="zip"),
    path("rapat/<slug:slug>/dokumen/<slug:key>/draf/", views.document_draft, name="draft"),
    path(
        "rapat/<slug:slug>/dokumen/<slug:key>/<slug:field_slug>/draf/",
        views.document_draft,
        name="draft",
    ),
    path(
        "rapat/<slug:slug>/dokumen/<slug:key>/finalisasi/",
        views.document_finalise_view,
        name="finalise",
    ),
    path(
        "rapat/<slug:slug>/dokumen/<slug:key>/<slug:field_slug>/finalisasi/",
        views.document_finalise_view,
        name="finalise",
    ),
    path("dokumen/<int:pk>/unduh/", views.document_download, name="download"),
    path("dokumen/<int:pk>/buka-kembali/", views.document_reopen_view, name="reopen"),
    path("dokumen/tugas/<int:pk>/", views.render_job_status, name="job"),
    path("dokumen/draf/<int:pk>/", views.draft_job_status, name="draft_job"),
    path("dokumen/draf/<int:pk>/unduh/", views.draft_job_download, name="draft_job_download"),
    path("dokumen/kop-surat/", views.office_profile, name="office_profile"),
    path("dokumen/kop-surat/lambang/", views.office_emblem, name="office_emblem"),
]
