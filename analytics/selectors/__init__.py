"""What reads analytics: the rollup tables only, never the raw records (one module per screen)."""
