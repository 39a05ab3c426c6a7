"""CSV files the plugin writes are opened in spreadsheets: a text value that starts like a formula is written
so that no spreadsheet runs it (OWASP's advice on CSV injection: a leading apostrophe)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from qgis.core import QgsFeature, QgsFeatureSink

#: What makes Excel, LibreOffice and Google Sheets read a cell as a formula (OWASP, "CSV Injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A text value that a spreadsheet would take for a formula, with an apostrophe before it; any other
    value as it is. ``=HYPERLINK(...)`` becomes ``'=HYPERLINK(...)``."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class SpreadsheetSafeSink:
    """A feature sink writing to a CSV file: every text attribute goes through `spreadsheet_safe`."""

    def __init__(self, sink: QgsFeatureSink) -> None:
        self._sink = sink

    def _safe(self, feature: QgsFeature) -> QgsFeature:
        attributes = feature.attributes()
        safe = [spreadsheet_safe(value) for value in attributes]
        if safe != attributes:
            feature = QgsFeature(feature)
            feature.setAttributes(safe)
        return feature

    def addFeature(self, feature: QgsFeature, flags: Any = None) -> bool:  # noqa: N802 - QgsFeatureSink API
        feature = self._safe(feature)
        return self._sink.addFeature(feature) if flags is None else self._sink.addFeature(feature, flags)

    def addFeatures(self, features: Iterable[QgsFeature], flags: Any = None) -> bool:  # noqa: N802 - QgsFeatureSink API
        safe = [self._safe(feature) for feature in features]
        return self._sink.addFeatures(safe) if flags is None else self._sink.addFeatures(safe, flags)

    def __getattr__(self, name: str) -> Any:  # flushBuffer, lastError...: the sink's own
        return getattr(self._sink, name)
