"""The transactional outbox: work for the Celery worker recorded in the transaction that asks for it.

``services.outbox_enqueue`` writes a row in the caller's transaction; after the commit the
relay hands it to the broker, and beat's sweep (``relay-outbox``) hands again whatever the
broker refused (Redis down), so a commit and its task are never separated.
``services.outbox_send_mail`` does the same for e-mails, each sent once per dedupe key.
"""
