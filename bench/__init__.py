"""Benchmarks and their data generators (not part of the portal: nothing in the apps imports this)."""
