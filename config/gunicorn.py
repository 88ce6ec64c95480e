"""gunicorn in production: ``gunicorn -c config/gunicorn.py config.wsgi -b 127.0.0.1:8000``.

Slow clients cost a greenlet, not a worker. With the sync worker, or with gthread's fixed
thread pool, each connection that trickles its headers or body holds a worker (or a
thread) until it is done, and a handful of them took the site down. gevent workers keep
every connection in its own greenlet: thousands of slow ones wait side by side while
ordinary requests are served, and a connection whose headers are not complete within
``keepalive`` seconds is closed. PostgreSQL calls yield to other greenlets too (the
psycopg2 wait callback below), so one slow query does not stall the worker.

A request body above ``REQUEST_MAX_BYTES`` is refused by the application (413) before it
is read, and that connection is then closed instead of being drained.

Environment: ``WEB_CONCURRENCY`` (worker processes, default: one per CPU) and
``WORKER_CONNECTIONS`` (simultaneous connections each, default 250). Each request in
progress may hold a PostgreSQL connection, so keep workers x connections in view of
PostgreSQL's ``max_connections`` (or put PgBouncer in between).
"""
import os

worker_class = "gevent"
workers = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 2)
worker_connections = int(os.environ.get("WORKER_CONNECTIONS", "250"))

# Seconds a client has to send a request's headers (the first request and every next one
# on a kept-alive connection).
keepalive = 5
# A worker whose event loop has not come round for this long is restarted.
timeout = 30
graceful_timeout = 30

# Request line and headers: gunicorn refuses anything larger with 400 before Django runs.
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190

# A connection's PostgreSQL connection lives in its greenlet and ends with its request:
# persistent connections would not be shared between greenlets anyway.
os.environ.setdefault("CONN_MAX_AGE", "0")


def _cooperative_wait(connection, timeout=None):
    """psycopg2's wait callback: wait for the database socket through gevent's hub."""
    import psycopg2
    from gevent.socket import wait_read, wait_write
    from psycopg2 import extensions

    try:
        while True:
            state = connection.poll()
            if state == extensions.POLL_OK:
                return
            if state == extensions.POLL_READ:
                wait_read(connection.fileno(), timeout=timeout)
            elif state == extensions.POLL_WRITE:
                wait_write(connection.fileno(), timeout=timeout)
            else:
                raise psycopg2.OperationalError(f"Bad result from poll: {state!r}")
    except BaseException:
        # Interrupted (a worker timeout, a shutdown): cancel the query so the connection
        # is left in a usable state, then let the interruption through.
        if not connection.closed:
            connection.cancel()
        raise


def post_worker_init(worker):
    if worker_class == "gevent" and type(worker).__name__.startswith("Gevent"):
        from psycopg2 import extensions

        extensions.set_wait_callback(_cooperative_wait)


def post_request(worker, req, environ, resp):
    """After a refused body (413) the connection closes: draining the rest of a 200 MB
    upload to keep the connection alive is the cost the refusal was there to avoid."""
    if resp is not None and resp.status_code == 413:
        req.must_close = True
