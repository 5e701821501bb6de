"""Benchmarks and the synthetic corpus (``bench.synth``) that tests and benchmarks share."""
