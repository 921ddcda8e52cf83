from django.contrib import admin
from django.urls import include, path

from rakortek.accounts.urls import auth_urlpatterns
from rakortek.core import health
from rakortek.home import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("akun/", include(auth_urlpatterns)),
    path("akun/", include("rakortek.accounts.urls")),
    path("", include("meetings.urls")),
    path("", include("issues.urls")),
    path("", include("rakortek.documents.urls")),
    path("", include("rakortek.figures.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler403 = "rakortek.home.views.permission_denied"
handler404 = "rakortek.home.views.page_not_found"
handler500 = "rakortek.home.views.server_error"
