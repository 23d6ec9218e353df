"""Developer tooling: the real-service stack for tests and ``make stack``."""
