from django.urls import path

from rakortek.figures import views

app_name = "figures"

urlpatterns = [
    path("rapat/<slug:slug>/peta-grafik/", views.meeting_figures, name="meeting"),
    path(
        "rapat/<slug:slug>/peta-grafik/ringkas/",
        views.meeting_figures_summary,
        name="summary",
    ),
]
