"""Deployment checks of the project's own settings (`manage.py check --deploy`)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register

LOCAL_HOSTS = {"127.0.0.1", "localhost", "0.0.0.0", "::1", ""}


@register(Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs):
    """Final documents print SITE_URL in their QR code and verification link: on a
    server it must be the address people reach the app at, not this machine's."""
    if settings.DEBUG:
        return []
    url = settings.SITE_URL or ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or (parts.hostname or "") in LOCAL_HOSTS:
        return [
            Error(
                f"SITE_URL is {url!r}: set it to the public address of the app "
                "(for example https://rakortek.example.go.id).",
                hint="Final documents print it in their QR code and verification link.",
                id="rakortek.E001",
            )
        ]
    return []
