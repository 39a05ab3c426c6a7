"""The README's pictures and commands are there: every image it shows is in the repository."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def test_every_image_the_readme_shows_is_committed():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert len(images) >= 6
    assert [path for path in images if not (ROOT / path).is_file()] == []


def test_the_readme_starts_with_the_two_commands_and_names_the_data_licences():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.index("## The two commands") < text.index("## User guide") < text.index("## Guida rapida")
    assert "OpenStreetMap contributors (ODbL)" in text and "CC-BY 4.0" in text
