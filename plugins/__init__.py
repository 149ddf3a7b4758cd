"""Not a package to import: it makes this folder's conftest.py `plugins.conftest`, so that it
never stands in for tests/conftest.py, which the core's tests import as `conftest`."""
