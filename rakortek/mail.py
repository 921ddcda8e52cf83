"""Where the mail task was before `rakortek.core.mail`: tasks queued under this path
(django-tasks keeps the path in its job table) still run, and still resend when lost."""

from rakortek.core import worker
from rakortek.core.mail import send_outgoing_mail

__all__ = ["send_outgoing_mail"]

worker.LOST_TASK_HANDLERS[f"{__name__}.send_outgoing_mail"] = worker.LOST_TASK_HANDLERS[
    send_outgoing_mail.module_path
]
