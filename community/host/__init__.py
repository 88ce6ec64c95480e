"""For the host team: ``dashboard`` defines and computes the community-health figures (the
host dashboard, its CSV and ``manage.py community_health``); ``audit`` writes the security
audit trail. ``/healthz`` is a view (``community.views.health``), not a figure here."""
