from tests.history_import.conftest import queen  # noqa: F401 (a catalog track to match)
