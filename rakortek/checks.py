"""System checks of the project itself (`manage.py check --deploy`)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register

# What every official document needs from the static files: without them a final
# PDF comes out unstyled, on more pages, with no font embedded.
PRINT_ASSETS = [
    "css/print.css",
    "css/documents-print.css",
    "css/agreement-print.css",
    "css/monitoring-print.css",
    "fonts/LiberationSans-Regular.ttf",
    "fonts/LiberationSans-Bold.ttf",
    "fonts/LiberationSans-Italic.ttf",
    "fonts/LiberationSans-BoldItalic.ttf",
]


@register(Tags.staticfiles, deploy=True)
def check_print_assets(app_configs=None, **kwargs):
    """The PDF fetcher resolves the print stylesheets and fonts under the active static storage.

    The URLs are those the templates' `{% static %}` gives (hashed names under a
    manifest storage, so this fails until `collectstatic` has run).
    """
    from django.contrib.staticfiles.storage import staticfiles_storage

    from rakortek.pdf import DOCUMENT_BASE_URL, read_static, static_name

    errors = []
    for name in PRINT_ASSETS:
        try:
            url = staticfiles_storage.url(name)
        except ValueError as error:  # a manifest storage without this entry
            errors.append(_error(name, str(error)))
            continue
        relative = static_name(DOCUMENT_BASE_URL.rstrip("/") + url)
        if relative is None or read_static(relative) is None:
            errors.append(_error(name, f"{url} cannot be read by the PDF renderer"))
    return errors


def _error(name: str, detail: str) -> Error:
    return Error(
        f"The PDF renderer cannot read {name} under the static storage "
        f"({settings.STORAGES['staticfiles']['BACKEND']}): {detail}.",
        hint="Run `manage.py collectstatic` into STATIC_ROOT (and check STATIC_URL), "
        "otherwise final documents would be refused as unstyled.",
        id="rakortek.E001",
    )


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
                id="rakortek.E002",
            )
        ]
    return []
