import hashlib

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from rakortek.documents.models import FinalDocument

MAX_CHECK_BYTES = 30 * 1024 * 1024


@require_http_methods(["GET", "POST"])
def verify(request, code):
    """Public: what was finalised under this code, and whether it is still the current version.

    Shows metadata only. Whoever holds a file can also upload it to compare its
    fingerprint; the file is hashed and discarded, never stored.
    """
    document = get_object_or_404(
        FinalDocument.objects.select_related("meeting", "desk__field", "finalised_by"),
        verification_code=code,
    )
    current = (
        document
        if document.is_current
        else FinalDocument.objects.filter(
            meeting=document.meeting, kind=document.kind, desk=document.desk, is_current=True
        ).first()
    )
    match = None
    if request.method == "POST" and request.FILES.get("file"):
        uploaded = request.FILES["file"]
        if uploaded.size <= MAX_CHECK_BYTES:
            digest = hashlib.sha256()
            for chunk in uploaded.chunks():
                digest.update(chunk)
            match = digest.hexdigest() == document.sha256
    return render(
        request,
        "documents/verify.html",
        {"document": document, "current": current, "match": match},
    )
