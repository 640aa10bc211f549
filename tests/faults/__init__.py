"""Fault-injection tests: the service under production settings while its database, cache
and network fail (the harness is harness.py)."""
