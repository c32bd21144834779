"""MtaaBot's Dagster code location: `orchestration.definitions.defs` (loaded by workspace.yaml)."""
