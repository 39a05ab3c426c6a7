"""The dependency check says what is missing, in words, before anything is imported that would fail."""

from __future__ import annotations

from situation_room_plugin.dependencies import MINIMUM_PYTHON, missing_dependency


def test_this_python_and_its_packages_are_enough():
    assert missing_dependency() is None


def test_a_python_older_than_3_9_is_named_with_its_version_not_left_to_fail_on_import():
    message = missing_dependency((3, 8, 10))
    assert message is not None and "Python 3.9 or newer" in message and "3.8.10" in message
    assert MINIMUM_PYTHON == (3, 9)
    assert missing_dependency((3, 9, 0)) is None
