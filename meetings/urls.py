from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("rapat/", views.meeting_list, name="list"),
    path("rapat/<slug:slug>/", views.meeting_detail, name="detail"),
    path("bidang/", views.field_list, name="field_list"),
]
