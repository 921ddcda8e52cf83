"""Pillow settings shared by every check of an uploaded or drawn image."""

import threading
from contextlib import contextmanager

from PIL import ImageFile

_strict_lock = threading.Lock()


@contextmanager
def strict_decoding():
    """Pillow with its process-wide tolerance of truncated files switched off.

    WeasyPrint switches that tolerance on when it is imported (for PDFs it would
    rather draw half a picture than fail), and a truncated photo would then pass
    as whole. Every image check in the app goes through this one lock, so that two
    checks at once never restore each other's value.
    """
    with _strict_lock:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous
