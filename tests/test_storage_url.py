"""STORAGE_URL chooses local disk or S3-compatible object storage (rakortek/core/storage_url.py)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from rakortek.core.storage_url import FILESYSTEM, storage_from_url


def test_without_a_url_files_stay_on_local_disk():
    assert storage_from_url("") == FILESYSTEM


def test_an_s3_url_gives_a_private_bucket_on_its_endpoint():
    entry = storage_from_url("s3://AKIA:se%2Fcret@minio.local:9000/rakortek/media?secure=0")
    assert entry["BACKEND"] == "storages.backends.s3.S3Storage"
    options = entry["OPTIONS"]
    assert options["bucket_name"] == "rakortek"
    assert options["location"] == "media"
    assert options["endpoint_url"] == "http://minio.local:9000"
    assert (options["access_key"], options["secret_key"]) == ("AKIA", "se/cret")
    assert options["default_acl"] is None and options["file_overwrite"] is False


def test_keys_may_come_from_the_environment_instead():
    options = storage_from_url("s3://s3.example.go.id/arsip?region=ap-southeast-3")["OPTIONS"]
    assert options["endpoint_url"] == "https://s3.example.go.id"
    assert options["region_name"] == "ap-southeast-3"
    assert "access_key" not in options


@pytest.mark.parametrize("url", ["ftp://host/bucket", "s3://host", "s3:///bucket"])
def test_a_url_that_names_no_bucket_or_another_scheme_is_refused(url):
    with pytest.raises(ImproperlyConfigured):
        storage_from_url(url)
