"""Partner organisations, tiers, types, regions, memberships, roles, API tokens and THE audience rule."""
