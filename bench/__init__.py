"""Load benchmarks: a large generated community on PostgreSQL, served by gunicorn."""
