"""The layers of a conflict detection: the place layers it reads (protected streets, sensitive places,
parking, roads) as core arrays, and the conflicts it finds as features. The dock and Processing both read
and write through here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from qgis.core import (
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsFeatureSource,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDate, QVariant

from situation_room_plugin.core import conflicts as engine
from situation_room_plugin.core.conflicts import PlaceArrays
from situation_room_plugin.core.decisions import Decision, DecisionStatus
from situation_room_plugin.core.problems import Problem
from situation_room_plugin.core.works import PROJECT_CRS
from situation_room_plugin.qgis_io.layers import replace_features
from situation_room_plugin.qgis_io.places import PROTECTED_UNTIL_FIELDS, PlaceFields, read_places, read_roads


@dataclass
class PlaceLayers:
    """The layers chosen for a detection (any may be missing). Sources are layers or Processing sources;
    each is read with its own name as the label that problems name."""

    protected: QgsFeatureSource | None = None
    sensitive: Sequence[QgsFeatureSource] = ()
    parking: QgsFeatureSource | None = None
    capacity_field: str | None = None  # found by its usual names when None
    roads: QgsFeatureSource | None = None  # for the importance of the roads the works are on


@dataclass
class Places:
    """The place layers as core arrays (None where no layer was given) and every problem of their features."""

    protected: PlaceArrays | None = None
    sensitive: PlaceArrays | None = None
    parking: PlaceArrays | None = None
    roads: tuple[np.ndarray, list[str]] | None = None
    problems: list[Problem] = field(default_factory=list)


def _label(source: QgsFeatureSource, fallback: str) -> str:
    return source.sourceName() or fallback


def read_place_layers(layers: PlaceLayers, transform_context: QgsCoordinateTransformContext) -> Places:
    """Read every layer given, in EPSG:6707. Must run where the layers may be read (the main thread for
    map layers; any thread for Processing sources). Raises PlacesError (a SituationRoomError) when the
    protected streets layer has no protected_until field."""
    out = Places()
    if layers.protected is not None:
        source = layers.protected
        fields = PlaceFields.detect(source.fields().names(), end=PROTECTED_UNTIL_FIELDS)
        out.protected, problems = read_places(source, _label(source, "protected"), transform_context, fields,
                                              "protected", require_end=True)
        out.problems += problems
    if layers.sensitive:
        parts = []
        for source in layers.sensitive:
            label = _label(source, "sensitive")
            places, problems = read_places(source, label, transform_context, default_kind=label)
            parts.append(places)
            out.problems += problems
        out.sensitive = PlaceArrays.concat(parts)
    if layers.parking is not None:
        source = layers.parking
        fields = PlaceFields.detect(source.fields().names(), capacity=layers.capacity_field)
        out.parking, problems = read_places(source, _label(source, "parking"), transform_context, fields, "parking")
        out.problems += problems
    if layers.roads is not None:
        out.roads = read_roads(layers.roads, transform_context)
    return out


# ---------------------------------------------------------------------------------------------------------
# Conflicts as features

#: The conflict layer's fields: the contract's first, then what helps a reader (titles, parking spaces).
CONFLICT_FIELDS: tuple[tuple[str, QVariant.Type], ...] = (
    ("conflict_id", QVariant.Type.String),
    ("kind", QVariant.Type.String),
    ("uid_a", QVariant.Type.String),
    ("uid_b", QVariant.Type.String),
    ("owner_a", QVariant.Type.String),
    ("owner_b", QVariant.Type.String),
    ("severity", QVariant.Type.Double),
    ("overlap_start", QVariant.Type.Date),
    ("overlap_end", QVariant.Type.Date),
    ("gap_days", QVariant.Type.Int),
    ("distance_m", QVariant.Type.Double),
    ("status", QVariant.Type.String),
    ("note", QVariant.Type.String),
    ("title_a", QVariant.Type.String),
    ("title_b", QVariant.Type.String),
    ("spaces_lost", QVariant.Type.Double),
)


def conflict_fields() -> QgsFields:
    fields = QgsFields()
    for name, kind in CONFLICT_FIELDS:
        fields.append(QgsField(name, kind))
    return fields


def parking_day_fields() -> QgsFields:
    fields = QgsFields()
    fields.append(QgsField("date", QVariant.Type.Date))
    fields.append(QgsField("spaces_lost", QVariant.Type.Double))
    fields.append(QgsField("works", QVariant.Type.Int))
    return fields


def qdate(day: date | None) -> QDate | None:
    return None if day is None else QDate(day.year, day.month, day.day)


def conflict_feature(conflict: engine.Conflict, decision: Decision | None, fields: QgsFields) -> QgsFeature:
    """One conflict with the room's decision on it (open with no note when there is none)."""
    feature = QgsFeature(fields)
    feature.setAttributes([
        conflict.conflict_id, conflict.kind, conflict.uid_a, conflict.uid_b, conflict.owner_a, conflict.owner_b,
        conflict.severity, qdate(conflict.overlap_start), qdate(conflict.overlap_end), conflict.gap_days,
        conflict.distance_m, decision.status if decision else DecisionStatus.OPEN.value,
        decision.note if decision else "", conflict.title_a, conflict.title_b, conflict.spaces_lost,
    ])
    area = engine.as_area(conflict.geometry)
    if area is not None and not area.is_empty:
        geometry = QgsGeometry()
        geometry.fromWkb(area.wkb)
        feature.setGeometry(geometry)
    return feature


def parking_day_feature(day: date, spaces: float, works: int, fields: QgsFields) -> QgsFeature:
    feature = QgsFeature(fields)
    feature.setAttributes([qdate(day), spaces, works])
    return feature


#: The custom property marking the dock's conflicts layer (replaced at each detection, not added again).
CONFLICTS_LAYER_PROPERTY = "situation_room/conflicts_layer"


def conflicts_memory_layer(name: str, conflicts: list[engine.Conflict], decisions: dict[str, Decision]
                           ) -> QgsVectorLayer:
    """The conflicts of a detection as a memory layer in EPSG:6707 (the fields Processing writes)."""
    layer = QgsVectorLayer(f"MultiPolygon?crs={PROJECT_CRS}", name, "memory")
    fill_conflicts_layer(layer, conflicts, decisions)
    layer.setCustomProperty(CONFLICTS_LAYER_PROPERTY, True)
    return layer


def fill_conflicts_layer(layer: QgsVectorLayer, conflicts: list[engine.Conflict], decisions: dict[str, Decision]
                         ) -> None:
    """Replace the features of a conflicts memory layer with these conflicts."""
    if layer.fields().count() == 0:
        layer.dataProvider().addAttributes(conflict_fields().toList())
        layer.updateFields()
    features = [conflict_feature(c, decisions.get(c.conflict_id), layer.fields()) for c in conflicts]
    for feature in features:
        if feature.hasGeometry():
            geometry = feature.geometry()
            geometry.convertToMultiType()
            feature.setGeometry(geometry)
    replace_features(layer, features)
