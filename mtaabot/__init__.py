"""MtaaBot core domain package."""
