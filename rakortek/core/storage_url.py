"""STORAGE_URL: where uploads and final documents are stored, as one setting.

- unset or empty: MEDIA_ROOT on local disk (the default);
- `s3://ACCESS_KEY:SECRET_KEY@HOST[:PORT]/BUCKET[/PREFIX][?region=R&secure=0]`: an
  S3-compatible object store (MinIO, Ceph, AWS S3...) through django-storages. The keys
  may be left out of the URL and given as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY;
  `secure=0` talks plain HTTP (a store on the same private network only).

Files in the bucket are private: every download still goes through the app's access
check, which streams them from the store.
"""

from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

FILESYSTEM = {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def storage_from_url(url: str) -> dict:
    """The STORAGES["default"] entry for `url`."""
    if not url:
        return FILESYSTEM
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise ImproperlyConfigured(f"STORAGE_URL: unknown scheme {parts.scheme!r} (use s3://)")
    path = parts.path.strip("/")
    bucket, _slash, prefix = path.partition("/")
    if not bucket or not parts.hostname:
        raise ImproperlyConfigured("STORAGE_URL: give s3://KEY:SECRET@HOST/BUCKET")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    secure = query.get("secure", "1") not in ("0", "false", "no")
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    options = {
        "bucket_name": bucket,
        "location": prefix,
        "endpoint_url": f"{'https' if secure else 'http'}://{host}",
        "region_name": query.get("region", "us-east-1"),
        # Private objects; never overwrite a stored name (as on disk, a new name is chosen).
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": True,
        "addressing_style": query.get("addressing", "path"),
        "signature_version": "s3v4",
    }
    if parts.username:
        options["access_key"] = unquote(parts.username)
        options["secret_key"] = unquote(parts.password or "")
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
