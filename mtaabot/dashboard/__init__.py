"""Core logic behind the owner dashboards: sign-in and scoping, mart reads, live queries, formatting."""
