"""situation_room:osm_places — schools, hospitals, bus stops and parking areas from an OpenStreetMap extract,
ready for the SENSITIVE and PARKING inputs of Detect conflicts."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsFeatureSink,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from situation_room_plugin.core.progress import Progress
from situation_room_plugin.gui.styles import apply_places_style, style_on_load
from situation_room_plugin.processing.base import SituationRoomAlgorithm
from situation_room_plugin.qgis_io.osm import load_osm_places
from situation_room_plugin.toolbelt.i18n import tr


class OsmPlacesAlgorithm(SituationRoomAlgorithm):
    NAME = "osm_places"
    DISPLAY = QT_TRANSLATE_NOOP("Algorithms", "Sensitive places and parking from OpenStreetMap")
    HELP = QT_TRANSLATE_NOOP(
        "Algorithms",
        "Reads an OpenStreetMap extract (.osm.pbf or .osm) and gives, in EPSG:6707, the sensitive places "
        "(schools, kindergartens, universities, hospitals, clinics, care homes as points and as areas; bus "
        "stops) and the parking areas with their capacity when mapped. Use them as SENSITIVE and PARKING in "
        "Detect conflicts. © OpenStreetMap contributors (ODbL)."
    )

    INPUT = "INPUT"
    SENSITIVE_POINTS = "SENSITIVE_POINTS"
    SENSITIVE_AREAS = "SENSITIVE_AREAS"
    PARKING = "PARKING"

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:  # noqa: N802 - Qt API
        self.addParameter(QgsProcessingParameterFile(
            self.INPUT, tr("OpenStreetMap extract"), fileFilter=tr("OpenStreetMap (*.osm.pbf *.pbf *.osm)")
        ))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.SENSITIVE_POINTS, tr("Sensitive places (points)"), QgsProcessing.SourceType.TypeVectorPoint
        ))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.SENSITIVE_AREAS, tr("Sensitive places (areas)"), QgsProcessing.SourceType.TypeVectorPolygon
        ))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.PARKING, tr("Parking areas"), QgsProcessing.SourceType.TypeVectorPolygon
        ))

    def execute(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback,
        progress: Progress,
    ) -> dict[str, Any]:
        path = self.parameterAsFile(parameters, self.INPUT, context)
        places = load_osm_places(path, context.transformContext())
        results: dict[str, Any] = {}
        for name, layer in ((self.SENSITIVE_POINTS, places.sensitive_points),
                            (self.SENSITIVE_AREAS, places.sensitive_areas), (self.PARKING, places.parking)):
            sink, dest_id = self.parameterAsSink(parameters, name, context, layer.fields(), layer.wkbType(),
                                                 layer.crs())
            if sink is None:
                raise QgsProcessingException(self.invalidSinkError(parameters, name))
            sink.addFeatures(list(layer.getFeatures()), QgsFeatureSink.Flag.FastInsert)
            style_on_load(context, dest_id, lambda out, parking=name == self.PARKING: apply_places_style(out, parking))
            results[name] = dest_id
            results[f"{name}_COUNT"] = layer.featureCount()
        feedback.pushInfo(tr("{points} sensitive places as points, {areas} as areas, {parking} parking areas.").format(
            points=places.sensitive_points.featureCount(), areas=places.sensitive_areas.featureCount(),
            parking=places.parking.featureCount()))
        return results
