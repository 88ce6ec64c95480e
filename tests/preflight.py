"""Stop `make test` early, with one clear sentence, when PostgreSQL or Redis is unreachable."""
import os
import sys
from urllib.parse import urlparse

import psycopg2
import redis


def main() -> int:
    db_url = os.environ["DATABASE_URL"]
    redis_url = os.environ["REDIS_URL"]
    parsed = urlparse(db_url)
    try:
        psycopg2.connect(
            host=parsed.hostname, port=parsed.port or 5432, user=parsed.username or "postgres",
            password=parsed.password, dbname="postgres", connect_timeout=3,
        ).close()
    except psycopg2.OperationalError:
        print(
            f"make test needs PostgreSQL at {parsed.hostname}:{parsed.port or 5432}: start it "
            "(pg_ctlcluster 15 main start) or set DATABASE_URL to a reachable server.",
            file=sys.stderr,
        )
        return 2
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except redis.RedisError:
        print(
            f"make test needs Redis at {redis_url}: start it (redis-server --daemonize yes) "
            "or set REDIS_URL to a reachable server.",
            file=sys.stderr,
        )
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
