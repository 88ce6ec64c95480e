"""The demo community of ``manage.py seed_demo``: ``data`` is what it holds, ``seeding`` the
idempotent steps that load it (other apps register their own steps there)."""
