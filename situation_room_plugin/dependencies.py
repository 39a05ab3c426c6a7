"""The Python and the packages the engines need beyond QGIS, and what the user sees when one is missing."""

from __future__ import annotations

import importlib
import sys
from typing import Any

from qgis.core import Qgis, QgsMessageLog
from qgis.PyQt.QtCore import QCoreApplication

#: The oldest Python the plugin runs on: QGIS 3.22 for Windows (OSGeo4W) runs 3.9. The unit tests run under it too.
MINIMUM_PYTHON = (3, 9)
REQUIREMENTS = (("shapely", (2, 0)), ("numpy", (1, 20)))


def missing_dependency(python: tuple[int, ...] = tuple(sys.version_info[:3])) -> str | None:
    """A sentence naming a too old Python, or the first missing or too old package; None when all are there.

    Python is checked first: the plugin's modules use what 3.9 has, and an older one would fail on import
    with an error that says nothing to the user.
    """
    if tuple(python[:2]) < MINIMUM_PYTHON:
        return QCoreApplication.translate(
            "@default",
            "Situation Room needs Python {wanted} or newer, and this QGIS runs Python {found}. "
            "Use QGIS 3.22 or newer, whose Python is recent enough."
        ).format(wanted=".".join(map(str, MINIMUM_PYTHON)), found=".".join(map(str, python[:3])))
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
