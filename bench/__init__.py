"""Benchmarks of BookReader AI; `python -m bench` runs them and updates bench/RESULTS.md."""
