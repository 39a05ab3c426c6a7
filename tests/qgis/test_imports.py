"""Every module of the plugin imports in QGIS (a module that cannot be imported is found here, not by a user)."""

from __future__ import annotations

import importlib

from tests.conftest import ROOT

PACKAGE = ROOT / "situation_room_plugin"


def test_every_module_of_the_plugin_imports():
    names = sorted(".".join(path.relative_to(ROOT).with_suffix("").parts) for path in PACKAGE.rglob("*.py")
                   if path.name != "__init__.py")
    assert len(names) > 60
    failed = []
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as error:  # noqa: BLE001 - every failure is listed, not only the first
            failed.append(f"{name}: {type(error).__name__}: {error}")
    assert failed == []
