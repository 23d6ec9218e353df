"""The lowest layer: what every app shares. Imports no project app."""
