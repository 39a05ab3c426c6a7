"""situation_room:osm_places — schools, hospitals, bus stops and parking areas from an OpenStreetMap extract,
ready for the SENSITIVE and PARKING inputs of Detect conflicts."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsFeatureSink,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from situation_room_plugin.core.progress import Progress
from situation_room_plugin.processing.base import SituationRoomAlgorithm, with_help
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
        self.addParameter(with_help(QgsProcessingParameterFile(
            self.INPUT, tr("OpenStreetMap extract"), fileFilter=tr("OpenStreetMap (*.osm.pbf *.pbf *.osm)")
        ), tr("An OpenStreetMap extract (.osm.pbf or .osm) covering the area of the works.")))
        self.addParameter(with_help(QgsProcessingParameterFeatureSink(
            self.SENSITIVE_POINTS, tr("Sensitive places (points)"), QgsProcessing.SourceType.TypeVectorPoint,
            optional=True
        ), tr("The sensitive places mapped as points, bus stops included, with osm_id, name and kind.")))
        self.addParameter(with_help(QgsProcessingParameterFeatureSink(
            self.SENSITIVE_AREAS, tr("Sensitive places (areas)"), QgsProcessing.SourceType.TypeVectorPolygon,
            optional=True
        ), tr("The sensitive places mapped as areas (school grounds, hospital sites), with osm_id, name and "
              "kind.")))
        self.addParameter(with_help(QgsProcessingParameterFeatureSink(
            self.PARKING, tr("Parking areas"), QgsProcessing.SourceType.TypeVectorPolygon, optional=True
        ), tr("The parking areas, with their capacity when it is mapped.")))

    def execute(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback,
        progress: Progress,
    ) -> dict[str, Any]:
        path = self.parameterAsFile(parameters, self.INPUT, context)
        places = load_osm_places(path, context.transformContext(), progress=progress)
        results: dict[str, Any] = {}
        for name, layer in ((self.SENSITIVE_POINTS, places.sensitive_points),
                            (self.SENSITIVE_AREAS, places.sensitive_areas), (self.PARKING, places.parking)):
            sink, dest_id = self.parameterAsSink(parameters, name, context, layer.fields(), layer.wkbType(),
                                                 layer.crs())
            results[f"{name}_COUNT"] = layer.featureCount()
            if sink is not None:  # every output is optional: one may want only the parking areas
                sink.addFeatures(list(layer.getFeatures()), QgsFeatureSink.Flag.FastInsert)
                results[name] = dest_id
        feedback.pushInfo(tr("{points} sensitive places as points, {areas} as areas, {parking} parking areas.").format(
            points=places.sensitive_points.featureCount(), areas=places.sensitive_areas.featureCount(),
            parking=places.parking.featureCount()))
        return results
