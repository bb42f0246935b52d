"""Repository checks run by the test suite (tools/check_imports.py)."""
