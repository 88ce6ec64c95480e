"""Enqueue Celery work after the surrounding transaction commits.

The fact (and, for domain writes, its ``EngagementEvent`` row) is already in PostgreSQL when
the message is sent, so a broker that is down must not turn a successful write into an error
page: the failure is logged and the periodic sweep does the work later. The same holds where
tasks run in-process (``make run``, ``TASKS_EAGER=1``): a task that asks to be retried, or
finds the database gone just after the write committed, leaves its events pending.

Tasks are named, never imported, by the code that asks for them (``enqueue_once(
"community.process_events")``): the write path does not depend on the worker modules that
depend on it, and the registered task is looked up when asked for, so ``apply_async`` runs it
in-process in eager mode just as it sends it to the broker otherwise.
"""
import logging

from celery.exceptions import Retry
from django.db import OperationalError as DatabaseOperationalError
from django.db import transaction
from kombu.exceptions import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

log = logging.getLogger(__name__)


def _send(task, args, kwargs):
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except (OperationalError, RedisConnectionError, OSError):  # broker unreachable
        log.warning("Could not enqueue %s%s; left for the sweep", task.name, args, exc_info=True)
    except (Retry, DatabaseOperationalError):  # in-process task, database gone mid-way
        log.warning("In-process %s%s did not finish; left for the sweep", task.name, args,
                    exc_info=True)


def registered(task):
    """The Celery task registered as ``task`` (a name such as ``"community.process_events"``);
    a task object is returned as it is. An unknown name raises ``LookupError`` at once, in
    the write that asked for it, not later in a commit hook."""
    if not isinstance(task, str):
        return task
    from celery import current_app

    if task not in current_app.tasks:
        # A web process has not imported the apps' task modules (a worker does at start):
        # load them as the worker would, once.
        current_app.loader.import_default_modules()
    try:
        return current_app.tasks[task]
    except KeyError:
        raise LookupError(f"No Celery task is registered as {task!r}") from None


def enqueue(task, *args, **kwargs) -> None:
    """Send ``task`` (its registered name) once the current transaction commits (at once
    outside one)."""
    task = registered(task)
    transaction.on_commit(lambda: _send(task, args, kwargs))


def enqueue_once(task, *args) -> None:
    """Like :func:`enqueue`, but one message per transaction however often it is asked for.

    Used for "there are pending events": ten events written by one request need one drain.
    """
    from django.db import connection

    task = registered(task)
    marker = (task.name, args)
    if connection.in_atomic_block and any(
        getattr(func, "_gravity_marker", None) == marker
        for _, func, _ in connection.run_on_commit
    ):
        return

    def send():
        _send(task, args, {})

    send._gravity_marker = marker
    transaction.on_commit(send)
