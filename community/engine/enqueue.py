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

On the development server (``make run``: no broker, ``TASKS_EAGER`` not set) in-process
tasks run after the response, on one thread of their own (``settings.TASKS_AFTER_RESPONSE``):
drained inline they held every reply for the engine, the notices and their printed mail,
several hundred milliseconds. The events are in the database first, so nothing waits on
that thread but the scores and notices; the tests and ``TASKS_EAGER=1`` run them inline.
"""
import logging
import queue
import threading

from celery.exceptions import Retry
from django.db import OperationalError as DatabaseOperationalError
from django.db import transaction
from kombu.exceptions import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

log = logging.getLogger(__name__)


class AfterResponse:
    """In-process tasks run one at a time on a thread of this process, in order."""

    def __init__(self):
        self.waiting: queue.SimpleQueue = queue.SimpleQueue()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def put(self, task, args, kwargs) -> None:
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="gravity-tasks",
                                               daemon=True)
                self.thread.start()
        self.waiting.put((task, args, kwargs))

    def _run(self) -> None:
        from django.db import connections

        while True:
            task, args, kwargs = self.waiting.get()
            try:
                _apply(task, args, kwargs)
            except Exception:  # noqa: BLE001  (logged; its events stay pending for the next drain)
                log.exception("In-process %s%s failed; its events stay pending", task.name,
                              args)
            finally:
                connections.close_all()


after_response = AfterResponse()


def _send(task, args, kwargs):
    from django.conf import settings

    if getattr(settings, "TASKS_AFTER_RESPONSE", False):
        after_response.put(task, args, kwargs)
        return
    _apply(task, args, kwargs)


def _apply(task, args, kwargs):
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
