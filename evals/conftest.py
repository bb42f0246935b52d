"""`make eval`: quality gates on the shared, third-party data that a clone of the repository does
not have. They fail loudly when the data is missing: a gate that skips proves nothing."""
from __future__ import annotations

from pathlib import Path

import pytest

from evals import SHARED_DATA

pytest_plugins = ["tests.conftest"]


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.fail(f"make eval needs the shared review data: {SHARED_DATA} does not exist "
                    "(set SHARED_DATA=/path/to/data)", pytrace=False)
    return SHARED_DATA


@pytest.fixture(scope="session")
def shared_file(shared_data):
    def path(name: str) -> Path:
        file = shared_data / name
        if not file.is_file():
            pytest.fail(f"make eval needs {file}, which is missing", pytrace=False)
        return file
    return path
