from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from rakortek.accounts import views

app_name = "accounts"

urlpatterns = [
    path("pengguna/", views.user_list, name="user_list"),
    path("pengguna/tambah/", views.user_create, name="user_create"),
    path("pengguna/<int:pk>/", views.user_detail, name="user_detail"),
    path("pengguna/<int:pk>/ubah/", views.user_update, name="user_update"),
    path("pengguna/<int:pk>/nonaktifkan/", views.user_deactivate, name="user_deactivate"),
    path("pengguna/<int:pk>/aktifkan/", views.user_reactivate, name="user_reactivate"),
    path("pengguna/<int:pk>/undangan/", views.invitation_resend, name="invitation_resend"),
    path("undangan/<str:token>/", views.invitation_accept, name="invitation_accept"),
]

# Django's own authentication views, under the names its templates expect
# (registration/*.html), so they live outside the "accounts" namespace.
auth_urlpatterns = [
    path("masuk/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("kata-sandi/ubah/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "kata-sandi/ubah/selesai/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "kata-sandi/lupa/",
        auth_views.PasswordResetView.as_view(
            # Links in e-mails use the configured address, never the request's Host header.
            extra_email_context={
                "site_url": settings.SITE_URL.rstrip("/"),
                "site_name": "Rakortek",
            },
        ),
        name="password_reset",
    ),
    path(
        "kata-sandi/lupa/terkirim/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "kata-sandi/atur/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "kata-sandi/atur/selesai/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
