"""Python logging forwarded to QGIS's message log under the plugin's tag."""

from __future__ import annotations

import logging

from qgis.core import Qgis, QgsMessageLog

TAG = "Situation Room"
LOGGER_NAME = "situation_room_plugin"

_LEVELS = (
    (logging.ERROR, Qgis.MessageLevel.Critical),
    (logging.WARNING, Qgis.MessageLevel.Warning),
    (logging.INFO, Qgis.MessageLevel.Info),
)


class QgsMessageLogHandler(logging.Handler):
    """Writes records of the plugin's loggers to the 'Situation Room' tab of the log messages panel."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            level = next((qgis for py, qgis in _LEVELS if record.levelno >= py), Qgis.MessageLevel.Info)
            QgsMessageLog.logMessage(self.format(record), TAG, level, notifyUser=False)
        except Exception:  # noqa: BLE001 - a log call must never break the caller
            self.handleError(record)


def install(level: int = logging.INFO) -> QgsMessageLogHandler:
    """Attach the handler to the plugin's logger tree; `uninstall` it when the plugin unloads."""
    handler = QgsMessageLogHandler()
    handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(handler)
    logger.setLevel(level)
    return handler


def uninstall(handler: QgsMessageLogHandler) -> None:
    logging.getLogger(LOGGER_NAME).removeHandler(handler)
