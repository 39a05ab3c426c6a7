"""Shared test helpers: where the reference data lives, and building works quickly."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"the reference data folder {SHARED_DATA} is absent (see ../shared/data/README.md)")
    return SHARED_DATA
