"""QGIS features to and from core records: attribute values, geometries and the transform to EPSG:6707."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta, timezone
from typing import Any

import numpy as np
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSource,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProcessingFeatureSource,
    QgsProject,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QDate, QDateTime, Qt, QTime, QVariant

from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.problems import Problem
from situation_room_plugin.core.progress import Progress, advance
from situation_room_plugin.core.works import FIELDS, PROJECT_CRS, FieldKind, ValidationReport, Work, validate_records
from situation_room_plugin.toolbelt.settings import Settings

_VARIANT_TYPES = {
    FieldKind.DATE: QVariant.Type.Date,
    FieldKind.DATETIME: QVariant.Type.DateTime,
    FieldKind.BOOL: QVariant.Type.Bool,
    FieldKind.INT: QVariant.Type.Int,
}



def project_crs() -> QgsCoordinateReferenceSystem:
    return QgsCoordinateReferenceSystem(PROJECT_CRS)


def works_fields() -> QgsFields:
    """The works schema as QGIS fields, in schema order."""
    fields = QgsFields()
    for spec in FIELDS:
        fields.append(QgsField(spec.name, _VARIANT_TYPES.get(spec.kind, QVariant.Type.String)))
    return fields


def to_python(value: Any) -> Any:
    """A QGIS attribute value as plain Python: NULL is None, QDate a date, QDateTime an aware datetime in the
    offset it has."""
    if value is None or (isinstance(value, QVariant) and value.isNull()):
        return None
    if isinstance(value, QDateTime):
        if not value.isValid():
            return None
        # In its own offset: a work's date is the day written where it was written (2027-03-01T00:00+02:00
        # is 1 March), and core moves it to UTC where it wants a moment.
        offset = timezone(timedelta(seconds=value.offsetFromUtc()))
        return value.toPyDateTime().replace(tzinfo=offset)
    if isinstance(value, QDate):
        return value.toPyDate() if value.isValid() else None
    if isinstance(value, QTime):
        return value.toString("HH:mm")
    return value


def to_qgis(value: Any, kind: FieldKind) -> Any:
    if value is None:
        return None
    if kind is FieldKind.DATETIME and isinstance(value, datetime):
        if value.tzinfo is not None:  # any offset: the same moment in UTC (naive ones are UTC already)
            value = value.astimezone(timezone.utc)
        moment = QDateTime(value.replace(tzinfo=None))
        moment.setTimeSpec(Qt.TimeSpec.UTC)
        return moment
    if kind is FieldKind.DATE and isinstance(value, date):
        return QDate(value.year, value.month, value.day)
    return value


def geometries_to_shapely(geometries: list[QgsGeometry | None]) -> np.ndarray:
    """QGIS geometries as shapely ones, through WKB in one vectorised parse."""
    wkbs = [None if g is None or g.isNull() else bytes(g.asWkb()) for g in geometries]
    return shapely.from_wkb(np.asarray(wkbs, dtype=object), on_invalid="ignore")


def iter_records(
    source: QgsFeatureSource,
    ref_prefix: str,
    transform_context: QgsCoordinateTransformContext | None = None,
    progress: Progress | None = None,
) -> Iterator[tuple[str, dict[str, Any], Any]]:
    """(ref, attributes, geometry in EPSG:6707) for every feature of a source, in batches.

    Attributes are read by name; fields the schema does not know are ignored here (sources with
    other field names go through a field mapping first).
    """
    context = transform_context or QgsProject.instance().transformContext()
    transform = QgsCoordinateTransform(source.sourceCrs(), project_crs(), context)
    names = [f.name() for f in source.fields()]
    total = max(source.featureCount(), 1)
    batch: list[tuple[str, dict[str, Any], QgsGeometry | None]] = []

    def flush() -> Iterator[tuple[str, dict[str, Any], Any]]:
        shapes = geometries_to_shapely([g for _, _, g in batch])
        for (ref, attrs, _), shape in zip(batch, shapes):
            yield ref, attrs, shape
        batch.clear()

    if isinstance(source, QgsProcessingFeatureSource):
        # Invalid footprints are ours to repair and report, not Processing's to refuse.
        skip_checks = QgsProcessingFeatureSource.Flag.FlagSkipGeometryValidityChecks
        features = source.getFeatures(QgsFeatureRequest(), skip_checks)
    else:
        features = source.getFeatures(QgsFeatureRequest())
    for done, feature in enumerate(features):
        geometry = QgsGeometry(feature.geometry()) if feature.hasGeometry() else None
        if geometry is not None and not transform.isShortCircuited():
            try:
                geometry.transform(transform)
            except Exception:  # noqa: BLE001 - QgsCsException: the point cannot be projected
                geometry = QgsGeometry.fromWkt("POINT (0 0)")  # reported as outside the area of use
        attrs = {name: to_python(value) for name, value in zip(names, feature.attributes())}
        batch.append((f"{ref_prefix} #{feature.id()}", attrs, geometry))
        if len(batch) >= 2000:
            yield from flush()
            advance(progress, done / total)
    yield from flush()


def read_works(
    source: QgsFeatureSource,
    owners: OwnerRegistry,
    ref_prefix: str = "feature",
    transform_context: QgsCoordinateTransformContext | None = None,
    progress: Progress | None = None,
    uid_source: str | None = None,
) -> ValidationReport:
    """Validate every feature of a layer or Processing source against the works schema. With `uid_source`
    (the layer's source), a feature without a uid gets the same one at every read (core.works.name_uid)."""
    if not source.sourceCrs().isValid():
        report = ValidationReport()
        report.problems.append(Problem(ref_prefix, "geometry", "no_crs"))
        report.invalid_records = source.featureCount()
        return report
    return validate_records(iter_records(source, ref_prefix, transform_context, progress), owners,
                            limits=Settings.load().geometry_limits(), uid_source=uid_source)


def work_to_feature(work: Work, fields: QgsFields) -> QgsFeature:
    feature = QgsFeature(fields)
    feature.setAttributes([to_qgis(getattr(work, spec.name), spec.kind) for spec in FIELDS])
    if work.geometry is not None:
        geometry = QgsGeometry()
        geometry.fromWkb(shapely.to_wkb(work.geometry))
        feature.setGeometry(geometry)
    return feature


WORKS_WKB_TYPE = QgsWkbTypes.Type.MultiPolygon


def works_memory_layer(works: Iterable[Work] = (), name: str = "works") -> QgsVectorLayer:
    """A memory layer of the works schema in EPSG:6707, holding these works."""
    layer = QgsVectorLayer(f"MultiPolygon?crs={PROJECT_CRS}", name, "memory")
    layer.dataProvider().addAttributes(works_fields().toList())
    layer.updateFields()
    layer.dataProvider().addFeatures([work_to_feature(w, layer.fields()) for w in works])
    return layer


def replace_features(layer: QgsVectorLayer, features: Iterable[QgsFeature]) -> None:
    """A memory layer's features replaced by these (a layer the plugin keeps up to date: one per project)."""
    provider = layer.dataProvider()
    provider.truncate()
    provider.addFeatures(list(features))
    layer.updateExtents()
    layer.triggerRepaint()
