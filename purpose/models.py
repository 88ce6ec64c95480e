"""Shared purpose and projects (see the purpose issue); no models yet."""
