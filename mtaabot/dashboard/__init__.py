"""Core logic behind the owner dashboards: sign-in and scoping, mart reads, the shop's own records, formatting."""
