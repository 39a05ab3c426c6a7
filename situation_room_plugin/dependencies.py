"""The Python packages the engines need beyond QGIS, and what the user sees when one is missing."""

from __future__ import annotations

import importlib
from typing import Any

from qgis.core import Qgis, QgsMessageLog
from qgis.PyQt.QtCore import QCoreApplication

REQUIREMENTS = (("shapely", (2, 0)), ("numpy", (1, 20)))


def missing_dependency() -> str | None:
    """A sentence naming the first missing or too old package, or None when all are there."""
    for name, minimum in REQUIREMENTS:
        try:
            module = importlib.import_module(name)
        except ImportError:
            found = None
        else:
            found = tuple(int(p) for p in module.__version__.split(".")[:2] if p.isdigit())
        if found is None or found < minimum:
            wanted = ".".join(map(str, minimum))
            return QCoreApplication.translate(
                "@default",
                "Situation Room needs the Python package {name} {wanted} or newer (found: {found}). "
                "Install it for QGIS's Python, e.g. python3 -m pip install --user '{name}>={wanted}', "
                "and restart QGIS."
            ).format(name=name, wanted=wanted, found=getattr(module, "__version__", "none") if found else "none")
    return None


class MissingDependencyPlugin:
    """Loaded instead of the plugin when a package is missing: it says so once, clearly, and does nothing else."""

    def __init__(self, iface: Any, message: str) -> None:
        self.iface = iface
        self.message = message

    def initProcessing(self) -> None:  # noqa: N802 - QGIS API
        QgsMessageLog.logMessage(self.message, "Situation Room", Qgis.MessageLevel.Critical)

    def initGui(self) -> None:  # noqa: N802 - QGIS API
        self.initProcessing()
        self.iface.messageBar().pushMessage("Situation Room", self.message, Qgis.MessageLevel.Critical, 0)

    def unload(self) -> None:
        pass
