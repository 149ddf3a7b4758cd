"""The first-party plugins working with the core.

A package, so that its conftest.py is `integration.conftest` and never stands in for
tests/conftest.py, which the modules here import as `conftest`, as every test does."""
