"""Which layer a tab's layer drop-down proposes: the one of the right kind (the store's works, the roads, the
dock's conflicts) when the user has not chosen another of that kind."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from qgis.core import QgsProject
from qgis.gui import QgsMapLayerComboBox


def prefer_layer(combo: QgsMapLayerComboBox, test: Callable[[Any], bool]) -> None:
    """Set `combo` to the project's first layer passing `test`, unless its current layer passes it already."""
    current = combo.currentLayer()
    if current is not None and test(current):
        return
    found = next((layer for layer in QgsProject.instance().mapLayers().values() if test(layer)), None)
    if found is not None:
        combo.setLayer(found)
