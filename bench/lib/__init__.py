"""Helpers shared by the HTTP benchmarks (``http_bench.py``, ``scale_bench.py``): the tools they
need, a throwaway site, the servers under test, the load generators and the machine's facts."""
