"""The layers a report reads and draws: the conflicts layer `situation_room:detect_conflicts` writes and the
detours layer of `situation_room:detour_analysis` as report rows, and memory copies in EPSG:6707 of what the
report's map shows (works, conflicts, detours, roads), styled by qgis_io/styles.py."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import shapely
from qgis.core import (
    Qgis,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSource,
    QgsField,
    QgsFillSymbol,
    QgsGeometry,
    QgsPalLayerSettings,
    QgsRectangle,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtCore import QVariant

from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.works import Work
from situation_room_plugin.qgis_io import layers
from situation_room_plugin.qgis_io.styles import (
    apply_conflicts_style,
    apply_detours_style,
    apply_roads_style,
    apply_works_style,
)
from situation_room_plugin.toolbelt.i18n import tr
from situation_room_plugin.workflows.reports import ConflictRow, DetourRow, NetworkImpact

#: The fields a conflicts layer must have to be reported (the others are read when present).
CONFLICT_REQUIRED = ("kind", "uid_a", "uid_b", "severity")
DETOUR_REQUIRED = ("work_uid", "status")


class ReportInputError(ValueError):
    """A layer given to a report is not what it should be: the message names the layer, the record and the
    problem, in the user's language."""


def _date(value: Any, label: str, field: str) -> date | None:
    value = layers.to_python(value)
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value if not hasattr(value, "date") else value.date()
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ReportInputError(tr("{record}: {field} '{value}' is not a date (expected YYYY-MM-DD)").format(
            record=label, field=field, value=value)) from None


def _missing(source: QgsFeatureSource, required: Sequence[str], what: str) -> None:
    names = source.fields().names()
    missing = [f for f in required if f not in names]
    if missing:
        raise ReportInputError(tr("{layer}: not a {what} layer, it has no field {fields}").format(
            layer=source.sourceName() or what, what=what, fields=", ".join(missing)))


def _text(values: dict[str, Any], name: str) -> str:
    value = layers.to_python(values.get(name))
    return "" if value is None else str(value)


def _number(values: dict[str, Any], name: str, label: str) -> float | None:
    value = layers.to_python(values.get(name))
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ReportInputError(tr("{record}: {field} '{value}' is not a number").format(
            record=label, field=name, value=value)) from None


def _int(values: dict[str, Any], name: str, label: str) -> int | None:
    number = _number(values, name, label)
    return None if number is None else int(number)


def read_conflicts(source: QgsFeatureSource) -> list[ConflictRow]:
    """The conflicts of a layer written by Detect conflicts (its decisions included). Raises
    ReportInputError naming the layer's missing fields, or the feature with an unreadable value."""
    _missing(source, CONFLICT_REQUIRED, tr("conflicts"))
    names = source.fields().names()
    layer_name = source.sourceName() or tr("conflicts")
    out = []
    for feature in source.getFeatures():
        values = dict(zip(names, feature.attributes()))
        label = f"{layer_name} #{feature.id()}"
        fallback_id = f"{_text(values, 'kind')}:{_text(values, 'uid_a')}:{_text(values, 'uid_b')}"
        out.append(ConflictRow(
            _text(values, "conflict_id") or fallback_id,
            _text(values, "kind"), _text(values, "uid_a"), _text(values, "uid_b"), _text(values, "owner_a"),
            _text(values, "owner_b"), _number(values, "severity", label) or 0.0,
            _date(values.get("overlap_start"), label, "overlap_start"),
            _date(values.get("overlap_end"), label, "overlap_end"),
            _text(values, "status") or "open", _text(values, "note"), _text(values, "title_a"),
            _text(values, "title_b"), _int(values, "gap_days", label),
        ))
    return out


def read_detours(source: QgsFeatureSource, works: Iterable[Work]) -> list[DetourRow]:
    """A detours layer of Detour analysis as one row per work (its worst way round, the stretches without
    one). Its day is not in the layer: the rows have no dates."""
    _missing(source, DETOUR_REQUIRED, tr("detours"))
    names = source.fields().names()
    by_uid = {w.uid: w for w in works}
    layer_name = source.sourceName() or tr("detours")
    grouped: dict[str, list[dict[str, Any]]] = {}
    for feature in source.getFeatures():
        values = dict(zip(names, feature.attributes()))
        values["_label"] = f"{layer_name} #{feature.id()}"
        grouped.setdefault(_text(values, "work_uid"), []).append(values)
    out = []
    for uid, rows in grouped.items():
        extras = [(_number(r, "extra_m", r["_label"]), _number(r, "extra_s", r["_label"])) for r in rows
                  if _text(r, "status") == "ok"]
        extras = [e for e in extras if e[0] is not None]
        worst = max(extras, default=(None, None))
        work = by_uid.get(uid)
        title = work.title if work else (_text(rows[0], "title") or uid)
        owner = work.owner if work else _text(rows[0], "owner")
        cut = max((_number(r, "cutoff_m", r["_label"]) or 0.0 for r in rows), default=0.0)
        out.append(DetourRow(uid, title, owner, None, None, len(rows),
                             sum(1 for r in rows if _text(r, "status") != "ok"), worst[0], worst[1], cut))
    return sorted(out, key=lambda d: d.title)


# -- what the map shows -------------------------------------------------------------------------------------


def _memory_layer(geometry: str, name: str, fields: Any) -> QgsVectorLayer:
    layer = QgsVectorLayer(f"{geometry}?crs={layers.PROJECT_CRS}", name, "memory")
    layer.dataProvider().addAttributes(list(fields))
    layer.updateFields()
    return layer


def works_map_layer(works: Sequence[Work], registry: OwnerRegistry, name: str | None = None) -> QgsVectorLayer:
    """The works in the works style: by organisation, hatched where the road is closed."""
    layer = _memory_layer("MultiPolygon", name or tr("Works"), layers.works_fields())
    layer.dataProvider().addFeatures([layers.work_to_feature(w, layer.fields()) for w in works])
    layer.updateExtents()
    apply_works_style(layer, registry)
    layer.temporalProperties().setIsActive(False)  # the report's map shows every day of the period at once
    labeling = layer.labeling()
    if isinstance(labeling, QgsVectorLayerSimpleLabeling):
        # On paper the titles name the works at city scale too (the style shows them from 1:5,000, where a
        # screen can zoom in; a printed page cannot); they still never overlap.
        settings = QgsPalLayerSettings(labeling.settings())
        settings.scaleVisibility = False
        layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    return layer


def copy_layer(source: QgsFeatureSource, geometry: str, name: str, context: QgsCoordinateTransformContext,
               keep: Any = None, extent: QgsRectangle | None = None) -> QgsVectorLayer:
    """A memory copy in EPSG:6707 of the features of `source` (those `keep(values)` accepts; within
    `extent`, in EPSG:6707, when given)."""
    layer = _memory_layer(geometry, name, source.fields())
    transform = QgsCoordinateTransform(source.sourceCrs(), layers.project_crs(), context)
    request = QgsFeatureRequest()
    if extent is not None:
        request.setFilterRect(transform.transformBoundingBox(extent, Qgis.TransformDirection.Reverse))
    names = source.fields().names()
    features = []
    for feature in source.getFeatures(request):
        if keep is not None and not keep(dict(zip(names, feature.attributes()))):
            continue
        copy = QgsFeature(layer.fields())
        copy.setAttributes(feature.attributes())
        if feature.hasGeometry():
            geom = QgsGeometry(feature.geometry())
            geom.transform(transform)
            copy.setGeometry(geom)
        features.append(copy)
    layer.dataProvider().addFeatures(features)
    layer.updateExtents()
    return layer


def conflicts_map_layer(source: QgsFeatureSource, ids: set[str],
                        context: QgsCoordinateTransformContext) -> QgsVectorLayer:
    """The conflicts of the report (by id) in the conflicts style."""
    def keep(values: dict[str, Any]) -> bool:
        return not ids or _text(values, "conflict_id") in ids or "conflict_id" not in values

    layer = copy_layer(source, "MultiPolygon", tr("Conflicts"), context, keep)
    apply_conflicts_style(layer)
    layer.temporalProperties().setIsActive(False)
    return layer


def detours_map_layer(source: QgsFeatureSource, context: QgsCoordinateTransformContext) -> QgsVectorLayer:
    layer = copy_layer(source, "MultiLineString", tr("Detours"), context)
    apply_detours_style(layer, "OUTPUT_DETOURS")
    return layer


def roads_map_layer(source: QgsFeatureSource, extent: QgsRectangle,
                    context: QgsCoordinateTransformContext) -> QgsVectorLayer:
    """The roads around `extent` (EPSG:6707) in the greys of the road classes."""
    layer = copy_layer(source, "MultiLineString", tr("Roads"), context, extent=extent)
    apply_roads_style(layer)
    return layer


def highlight_layer(work: Work) -> QgsVectorLayer:
    """The sheet's own work outlined on top of the works (which keep their style underneath): on a street
    shared with other works, which footprint the sheet is about."""
    layer = _memory_layer("MultiPolygon", work.title or tr("The work"), layers.works_fields())
    layer.dataProvider().addFeatures([layers.work_to_feature(work, layer.fields())])
    layer.updateExtents()
    outline = QgsFillSymbol.createSimple({"style": "no", "outline_color": "#c92a2a", "outline_width": "0.9",
                                          "joinstyle": "round"})
    layer.setRenderer(QgsSingleSymbolRenderer(outline))
    return layer


def network_layers(network: NetworkImpact) -> list[QgsVectorLayer]:
    """The detours and cut-off roads the report computed, drawn as Detour analysis draws its outputs (detours
    as arrows, blocked stretches dash-dot, roads cut off dashed grey); none when there are none."""
    out = []
    if network.detour_lines:
        detours = _memory_layer("MultiLineString", tr("Detours"), [QgsField("status", QVariant.Type.String)])
        detours.dataProvider().addFeatures([_line_feature(detours, g, [status])
                                            for status, g in network.detour_lines])
        apply_detours_style(detours, "OUTPUT_DETOURS")
        out.append(detours)
    if network.cutoff_lines:
        cutoff = _memory_layer("MultiLineString", tr("Streets cut off"), [])
        cutoff.dataProvider().addFeatures([_line_feature(cutoff, g, []) for g in network.cutoff_lines])
        apply_detours_style(cutoff, "OUTPUT_CUTOFF")
        out.append(cutoff)
    return out


def _line_feature(layer: QgsVectorLayer, line: Any, attributes: list[Any]) -> QgsFeature:
    feature = QgsFeature(layer.fields())
    feature.setAttributes(attributes)
    geometry = QgsGeometry()
    geometry.fromWkb(shapely.to_wkb(line))
    feature.setGeometry(geometry)
    return feature
