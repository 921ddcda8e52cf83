"""Task and exception paths stored before the modules moved to rakortek.core still resolve.

django-tasks keeps a queued task's path and a failed task's exception class in its job
table; the worker imports them by those paths.
"""

from django.utils.module_loading import import_string
from django_tasks.base import Task

from rakortek.core import worker
from rakortek.core.mail import send_outgoing_mail


def test_a_mail_task_queued_under_its_old_path_runs_the_mail_task():
    task = import_string("rakortek.mail.send_outgoing_mail")
    assert isinstance(task, Task)
    assert task.func is send_outgoing_mail.func


def test_a_mail_task_lost_under_its_old_path_is_sent_again():
    handler = worker._handler("rakortek.mail.send_outgoing_mail")
    assert handler is not None
    assert handler is worker._handler(send_outgoing_mail.module_path)


def test_a_task_failed_as_lost_names_an_exception_class_that_imports():
    assert import_string("rakortek.worker.WorkerLost") is worker.WorkerLost
