from django.conf import settings
from django.http import FileResponse
from django.middleware.gzip import GZipMiddleware
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy header; every asset is the app's own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response.headers:
            response.headers["Content-Security-Policy"] = policy
        return response


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Indonesian unless the user chose another language with the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many
    phones here are set to English; the office wants Indonesian by default.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        available = {code for code, _name in settings.LANGUAGES}
        translation.activate(chosen if chosen in available else settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()


# Worth compressing: pages, htmx fragments, JSON, CSV and other text. PDFs, XLSX files,
# images and archives are compressed already and go out as they are.
COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/javascript",
    "application/xml",
    "image/svg+xml",
)


class CompressedPagesMiddleware(GZipMiddleware):
    """Django's GZipMiddleware (with its BREACH mitigation: random bytes in the gzip
    header's file name field) for text responses only.

    Stored files are left alone: a file handed to nginx (X-Accel-Redirect) has no body
    here, and a streamed file (FileResponse) keeps its length and byte ranges; most of
    them (PDFs, spreadsheets, scans) are compressed already.
    Static files never reach this middleware: WhiteNoise, above it, serves them with
    their own precompressed variants. Headers added later (Content-Security-Policy,
    X-Frame-Options) are unaffected by compression.
    """

    def process_response(self, request, response):
        if isinstance(response, FileResponse) or response.has_header("X-Accel-Redirect"):
            return response
        content_type = response.get("Content-Type", "").lower()
        if not content_type.startswith(COMPRESSIBLE_TYPES):
            return response
        return super().process_response(request, response)
