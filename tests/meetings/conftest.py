import pytest


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # The cast's accounts are created with a password for every test; the real
    # hasher's deliberate slowness would dominate this directory's run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
