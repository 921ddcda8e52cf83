from django.urls import path

from rakortek.documents import views

app_name = "documents"

urlpatterns = [
    path("v/<str:code>/", views.verify, name="verify"),
]
