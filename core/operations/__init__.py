"""What operators watch: liveness and readiness, Prometheus metrics, JSON logs with a request id, Sentry.

An installed app (``core.operations``, label ``operations``) without models: apps register their readiness
checks and backlogs here from their own ``AppConfig.ready()`` (``readiness``); the middleware answers
``/healthz``, ``/readyz`` and ``/metrics`` before any other middleware runs.
"""
