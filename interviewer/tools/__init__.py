"""Benchmarks and sample data: measuring the app, not running it."""
