"""Mail backends standing in for a mail server that misbehaves (the thing outside the app).

Both keep what they accept in django.core.mail.outbox, like Django's locmem backend.
"""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class RefusingBackend(EmailBackend):
    """Refuses mail to the addresses in REFUSED; everything else is delivered."""

    REFUSED: set[str] = set()

    def send_messages(self, messages):
        for message in messages:
            refused = {address for address in message.to if address in self.REFUSED}
            if refused:
                raise smtplib.SMTPRecipientsRefused(
                    {address: (550, b"mailbox unavailable") for address in refused}
                )
        return super().send_messages(messages)


class DownBackend(EmailBackend):
    """A server that is down for the first FAILURES sends, then comes back."""

    FAILURES = 0

    def send_messages(self, messages):
        if DownBackend.FAILURES > 0:
            DownBackend.FAILURES -= 1
            raise ConnectionRefusedError(111, "Connection refused")
        return super().send_messages(messages)
