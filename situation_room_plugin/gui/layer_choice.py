"""Which layer a tab's layer drop-down proposes: the one of the right kind (the store's works, the roads, the
dock's conflicts) when the user has not chosen another of that kind."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from qgis.core import QgsProject
from qgis.gui import QgsMapLayerComboBox

_CHOSEN = "situation_room_user_chosen"


def prefer_layer(combo: QgsMapLayerComboBox, test: Callable[[Any], bool], candidates: Any = None) -> None:
    """Set `combo` to the first layer passing `test` (of `candidates`: the layers just added; else the project's),
    unless its current layer passes it already or
    the user picked one in it (a choice of theirs is never undone by a layer added later)."""
    if combo.property(_CHOSEN) is None:
        combo.setProperty(_CHOSEN, False)
        combo.activated.connect(lambda _index: combo.setProperty(_CHOSEN, True))  # the user's, not setLayer's
    if combo.property(_CHOSEN):
        return
    current = combo.currentLayer()
    if current is not None and test(current):
        return
    layers = QgsProject.instance().mapLayers().values() if candidates is None else candidates
    found = next((layer for layer in layers if test(layer)), None)
    if found is not None:
        combo.setLayer(found)


def marked_layer(property_name: str) -> Any:
    """The project's layer carrying this custom property (the one layer the plugin keeps of its kind), or None."""
    return next((layer for layer in QgsProject.instance().mapLayers().values()
                 if layer.customProperty(property_name, False)), None)
