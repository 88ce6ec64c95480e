"""Commerce: the catalogue, ownership, ask-the-owners, offers and the shop's widget.

The models are in :mod:`community.models.commerce`; this package holds what works on them.
"""
