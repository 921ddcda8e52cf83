# The Chromium fixtures of the browser journeys, for the accounts journey in this folder.
from tests.browser.conftest import browser, phone_page  # noqa: F401
