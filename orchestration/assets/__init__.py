"""Dagster assets: product embeddings, the dbt models, billing reconciliation."""
