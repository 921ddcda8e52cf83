from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("rapat/", views.meeting_list, name="list"),
    # Before <slug>/, which services.RESERVED_MEETING_SLUGS keeps from shadowing it.
    path("rapat/tambah/", views.meeting_create, name="create"),
    path("rapat/<slug:slug>/", views.meeting_detail, name="detail"),
    path("rapat/<slug:slug>/ubah/", views.meeting_update, name="update"),
    path("rapat/<slug:slug>/acara/tambah/", views.agenda_create, name="agenda_create"),
    path("rapat/<slug:slug>/acara/<int:pk>/ubah/", views.agenda_update, name="agenda_update"),
    path("rapat/<slug:slug>/acara/<int:pk>/hapus/", views.agenda_delete, name="agenda_delete"),
    path("rapat/<slug:slug>/desk/tambah/", views.desk_create, name="desk_create"),
    path("rapat/<slug:slug>/desk/<int:pk>/ubah/", views.desk_update, name="desk_update"),
    path("rapat/<slug:slug>/desk/<int:pk>/hapus/", views.desk_delete, name="desk_delete"),
    path("rapat/<slug:slug>/kriteria/", views.criteria_update, name="criteria"),
    path("bidang/", views.field_list, name="field_list"),
    path("bidang/tambah/", views.field_create, name="field_create"),
    path("bidang/<int:pk>/ubah/", views.field_update, name="field_update"),
    path("bidang/<int:pk>/hapus/", views.field_delete, name="field_delete"),
]
