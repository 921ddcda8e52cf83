from django.contrib import admin
from django.urls import include, path

from rakortek import health, views
from rakortek.accounts.urls import auth_urlpatterns

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

handler403 = "rakortek.views.permission_denied"
handler404 = "rakortek.views.page_not_found"
handler500 = "rakortek.views.server_error"
