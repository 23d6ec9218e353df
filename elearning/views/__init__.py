"""The package player's pages: the player and its commits (``player``), the package's files (``content``)."""
