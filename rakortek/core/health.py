"""/healthz: whether this app server can work, for a load balancer or a monitoring probe.

Unauthenticated and without anything confidential: each part is "ok" or a short
fixed phrase, never an exception's text (which may carry host names, paths or
database names); the details go to the server's log. 200 when every part is
fine, 503 naming the parts that are not.
"""

import logging
import secrets
from contextlib import nullcontext

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from rakortek.core import worker

logger = logging.getLogger(__name__)

OK = "ok"


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return OK


def check_storage() -> str:
    """Write, read back and delete a small file where uploads and documents are kept."""
    name = default_storage.save(f"healthz/{secrets.token_hex(8)}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name, "rb") as file:
            if file.read() != b"ok":
                return "file read back differs"
    finally:
        default_storage.delete(name)
    return OK


def check_cache() -> str:
    key = f"healthz:{secrets.token_hex(8)}"
    cache = caches["default"]
    # A database cache's error must not spoil the transaction of the other checks.
    guard = transaction.atomic() if isinstance(cache, DatabaseCache) else nullcontext()
    with guard:
        cache.set(key, "ok", 10)
        value = cache.get(key)
        cache.delete(key)
    return OK if value == "ok" else "value not kept"


def check_worker() -> str:
    seen = worker.last_heartbeat()
    if seen is None:
        return "no worker has reported"
    age = (timezone.now() - seen).total_seconds()
    if age > float(settings.WORKER_STALE_SECONDS):
        return f"no heartbeat for {int(age)} s"
    return OK


CHECKS = {
    "database": check_database,
    "storage": check_storage,
    "cache": check_cache,
    "worker": check_worker,
}


@never_cache
@require_safe
def healthz(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception:
            logger.warning("Health check %s failed", name, exc_info=True)
            results[name] = "failing"
            if name == "database":
                connection.close_if_unusable_or_obsolete()
    failing = sorted(name for name, result in results.items() if result != OK)
    body = {"status": "fail" if failing else OK, "failing": failing, "checks": results}
    return JsonResponse(body, status=503 if failing else 200)
