"""Fixtures of the demo's tests: the reference data folder, once per module (skipped, saying why, when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA


@pytest.fixture(scope="module")
def prato_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"the reference data folder {SHARED_DATA} is absent (see ../shared/data/README.md)")
    return SHARED_DATA
