"""Listening, not monitoring: how members speak of the brand, for hosts to answer in person.

``sentiment`` reads a text (VADER, offline; the brand and sarcasm rules); ``signals``
stores a post's reading (the engagement worker and ``manage.py listen`` call it);
``selectors`` build the hosts' pages (the advocates and detractors map, the "needs a human
touch" queue, the weekly "what members care about" digest); ``services`` keep what hosts
decide and the searches that found nothing; ``digest`` mails the weekly digest.
"""
