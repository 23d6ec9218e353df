"""A test-only app with a minimal gated model, so the audience rule is tested apart from any content type."""
