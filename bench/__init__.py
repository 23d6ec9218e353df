"""Benchmarks at the DESIGN §8 scale: a data generator and latency reports of the partner API."""
