"""Serving stored files after the view's access check.

By default the app streams the file itself. Behind nginx with media on local disk,
set PROTECTED_FILES_ACCEL_PREFIX (e.g. `/_protected/`) and map that prefix to
MEDIA_ROOT in an `internal` location: the app then answers with an
`X-Accel-Redirect` header only and nginx sends the bytes, so a large download no
longer holds a gunicorn worker. The access check stays in the view; nginx never
serves that location to a client directly.
"""

from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header


def accel_prefix(storage) -> str:
    """The X-Accel-Redirect prefix for files of `storage`, or "" to stream them."""
    prefix = getattr(settings, "PROTECTED_FILES_ACCEL_PREFIX", "")
    # Only a local disk lies under nginx's alias; object storage is streamed.
    if not prefix or not isinstance(storage, FileSystemStorage):
        return ""
    return prefix.rstrip("/") + "/"


def protected_file_response(
    stored_file, *, content_type: str, filename: str | None = None, as_attachment: bool = False
):
    """The response for a stored file the user may read; 404 when storage lacks it.

    `stored_file` is a FieldFile. Headers such as Cache-Control may be added by the
    caller on either kind of response (nginx passes Cache-Control, Content-Type,
    Content-Disposition and Set-Cookie on; its protected location sets the others).
    """
    if not stored_file:
        raise Http404
    storage = stored_file.storage
    prefix = accel_prefix(storage)
    if prefix:
        if not storage.exists(stored_file.name):
            raise Http404
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix + quote(stored_file.name)
        disposition = content_disposition_header(as_attachment, filename)
        if disposition:
            response["Content-Disposition"] = disposition
        return response
    try:
        handle = stored_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    except OSError:
        raise Http404 from None
    return FileResponse(
        handle, content_type=content_type, as_attachment=as_attachment, filename=filename or ""
    )
