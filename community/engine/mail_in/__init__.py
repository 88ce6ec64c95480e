"""Reply by email: a notice about a thread is answered by email and the answer is posted.

- ``address``: the signed, per-member, per-thread reply address a notice's ``Reply-To``
  carries (``engine.notifications``), and reading it back;
- ``message``: a raw mail read: sender, recipients, bounce or automatic reply, the new text
  without quotes and signature, attachments;
- ``receive``: ``mail_receive``, the one function both ways in call; it posts through
  ``services.conversations.post_create`` like the site's reply box;
- ``bounce``: the short email saying why a reply was not posted;
- ``smtp``: the aiosmtpd receiver (``manage.py mail_in``); the provider's hook is
  ``community.views.mail_in``.
"""
