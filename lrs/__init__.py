"""An xAPI 1.0.3 Learning Record Store built into the hub: statements, state documents, per-launch credentials."""
