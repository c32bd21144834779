"""MtaaBot benchmarks: `python -m benchmarks` (make bench) runs them all and writes results/latest.{json,md}."""
