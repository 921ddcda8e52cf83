"""System checks of the project itself (`manage.py check --deploy`)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Info, Tags, register

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

    from rakortek.core.pdf import DOCUMENT_BASE_URL, read_static, static_name

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


@register(deploy=True)
def check_document_signing(app_configs=None, **kwargs):
    """Report whether final documents will be signed electronically.

    Unsigned documents are a supported choice (the QR code and fingerprint still
    verify them), so its absence is Info, not a warning; a certificate that is
    configured but cannot be opened is an error: every finalisation would fail.
    """
    from rakortek.documents.signing import SigningError, load_signer, signing_configured

    if not signing_configured():
        return [
            Info(
                "Final documents are not signed electronically (DOCUMENT_SIGNING_P12 is not "
                "set); they carry their QR code and fingerprint only.",
                hint="Set DOCUMENT_SIGNING_P12 and DOCUMENT_SIGNING_PASSPHRASE to the office's "
                "PKCS#12 certificate to sign them (PAdES).",
                id="rakortek.I010",
            )
        ]
    try:
        load_signer()
    except SigningError as error:
        return [
            Error(
                f"Final documents cannot be signed: {error}.",
                hint="Check DOCUMENT_SIGNING_P12 and DOCUMENT_SIGNING_PASSPHRASE; until then "
                "every finalisation of a PDF fails.",
                id="rakortek.E010",
            )
        ]
    return [
        Info(
            "Final documents are signed electronically with the certificate in "
            f"{settings.DOCUMENT_SIGNING_P12}.",
            id="rakortek.I011",
        )
    ]
