"""situation_room:detour_analysis — a day's closures: each work's detours, the streets cut off, the bus lines
that must reroute."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsFeatureSink,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterFeatureSink,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from situation_room_plugin.core.detours import detour_geometries
from situation_room_plugin.core.progress import Progress, scaled
from situation_room_plugin.core.transit import reroute_geometry
from situation_room_plugin.processing import common as inputs
from situation_room_plugin.processing.base import SituationRoomAlgorithm, with_help
from situation_room_plugin.qgis_io.layers import project_crs
from situation_room_plugin.qgis_io.styles import apply_detours_style, style_on_load
from situation_room_plugin.toolbelt.i18n import tr
from situation_room_plugin.workflows.detours import day_detours

DETOUR_FIELDS = (("work_uid", str), ("base_m", float), ("detour_m", float), ("extra_m", float), ("extra_s", float),
                 ("ratio", float), ("status", str), ("cutoff_m", float), ("title", str), ("owner", str))
CUTOFF_FIELDS = (("work_uids", str), ("name", str), ("work_titles", str))
BUS_FIELDS = (("route_id", str), ("route_short_name", str), ("trips_affected", int), ("stops_skipped", int),
              ("extra_m", float))


class DetourAnalysisAlgorithm(SituationRoomAlgorithm):
    NAME = "detour_analysis"
    DISPLAY = QT_TRANSLATE_NOOP("Algorithms", "Detour analysis of a day")
    HELP = QT_TRANSLATE_NOOP(
        "Algorithms",
        "The works on the street on DATE (not completed or cancelled) whose traffic impact is all-lanes-closed "
        "close the roads their footprints cover (at least 5 m of a road, so a footprint that only touches a "
        "crossing street does not close it; closed_direction closes one direction only); some-lanes-closed "
        "and alternating-one-way slow them down. Roads are the drivable lines of ROADS (OSM tags: highway, "
        "oneway, junction, maxspeed), noded where they share vertices.\n"
        "OUTPUT_DETOURS: for every stretch a work blocks, the fastest way round between its end junctions in "
        "the network with all of the day's closures (status ok), or the blocked route (status no_detour); "
        "a stretch that leads nowhere (a dead-end street) gets one row, status no_detour, drawn as the blocked "
        "stretch; base_m, detour_m and extra_m in metres, extra_s in seconds, ratio = detour_m / base_m, "
        "cutoff_m the metres of road cut off beyond a stretch without a way round (0 with a detour).\n"
        "OUTPUT_CUTOFF (optional): the roads that can no longer reach, or be reached from, the main network, "
        "with the works responsible.\n"
        "OUTPUT_BUS (optional, with a GTFS zip): the routes whose buses drive along a closed road that day, the "
        "trips running that day, the stops on the closed roads, the extra metres of the longest reroute on "
        "bus roads (empty when there is none), with the reroutes as lines."
    )

    DATE = "DATE"
    OUTPUT_DETOURS = "OUTPUT_DETOURS"
    OUTPUT_CUTOFF = "OUTPUT_CUTOFF"
    OUTPUT_BUS = "OUTPUT_BUS"

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:  # noqa: N802 - Qt API
        inputs.add_roads_parameter(self)
        inputs.add_works_parameter(self)
        inputs.add_date_parameter(self, self.DATE, tr("Date"),
                                  tr("The day analysed, as YYYY-MM-DD in qgis_process: the works on the street "
                                     "that day close or slow down the roads."))
        inputs.add_gtfs_parameter(self)
        self.addParameter(with_help(QgsProcessingParameterFeatureSink(
            self.OUTPUT_DETOURS, tr("Detours"), QgsProcessing.SourceType.TypeVectorLine
        ), tr("One line per stretch a work blocks: its way round (status ok) or the blocked route (status "
              "no_detour), with work_uid, base_m, detour_m, extra_m, extra_s and ratio.")))
        self.addParameter(with_help(QgsProcessingParameterFeatureSink(
            self.OUTPUT_CUTOFF, tr("Cut-off roads"), QgsProcessing.SourceType.TypeVectorLine, optional=True
        ), tr("The roads cut off from the main network that day, with the works responsible (work_uids).")))
        self.addParameter(with_help(QgsProcessingParameterFeatureSink(
            self.OUTPUT_BUS, tr("Bus lines to reroute"), QgsProcessing.SourceType.TypeVectorLine, optional=True
        ), tr("With GTFS: the bus routes along a closed road that day, the trips and stops affected and the "
              "extra metres of the reroute, drawn as lines.")))

    def execute(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback,
        progress: Progress,
    ) -> dict[str, Any]:
        day = inputs.read_date(self, parameters, self.DATE, context)
        graph = inputs.read_graph(self, parameters, context, feedback, progress=scaled(progress, 0.0, 0.2))
        works = inputs.read_works(self, parameters, context, feedback, scaled(progress, 0.2, 0.3))
        bus = inputs.read_bus_network(self, parameters, context, feedback, graph, day, day)
        progress(0.4)
        found = day_detours(graph, works, day, bus, scaled(progress, 0.4, 0.9))
        impact, routes = found.impact, found.routes

        crs = project_crs()
        line = QgsWkbTypes.Type.MultiLineString
        by_uid = {w.uid: w for w in works}  # outputs name the works by title and owner beside their uids
        detour_fields = inputs.fields(DETOUR_FIELDS)
        detours, detours_id = self.parameterAsSink(parameters, self.OUTPUT_DETOURS, context, detour_fields, line, crs)
        if detours is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT_DETOURS))
        lines = detour_geometries(graph, impact.detours)
        for d, geometry in zip(impact.detours, lines):
            work = by_uid.get(d.work_uid)
            values = [d.work_uid, d.base_m, d.detour_m, d.extra_m, d.extra_s, d.ratio, d.status, d.cutoff_m,
                      work.title if work else "", work.owner if work else ""]
            detours.addFeature(inputs.feature(detour_fields, values, geometry), QgsFeatureSink.Flag.FastInsert)

        cutoff_fields = inputs.fields(CUTOFF_FIELDS)
        cutoff, cutoff_id = self.parameterAsSink(parameters, self.OUTPUT_CUTOFF, context, cutoff_fields, line, crs)
        if cutoff is not None:  # optional: only the detours may be wanted
            geometries = graph.edge_geometries()
            for c in impact.cutoff:
                titles = "; ".join(by_uid[u].title for u in c.work_uids if u in by_uid)
                values = [",".join(c.work_uids), graph.edge_name(c.edge), titles]
                cutoff.addFeature(inputs.feature(cutoff_fields, values, geometries[c.edge]),
                                  QgsFeatureSink.Flag.FastInsert)

        bus_fields = inputs.fields(BUS_FIELDS)
        bus_sink, bus_id = self.parameterAsSink(parameters, self.OUTPUT_BUS, context, bus_fields, line, crs)
        if bus_sink is not None:
            for r in routes:
                values = [r.route.route_id, r.route.short_name, r.trips_affected, len(r.stops_skipped), r.extra_m]
                bus_sink.addFeature(inputs.feature(bus_fields, values, reroute_geometry(graph, r.reroutes)),
                                    QgsFeatureSink.Flag.FastInsert)

        no_detour = found.no_detour
        feedback.pushInfo(
            tr("{day}: {closures} works close roads, {detours} detours ({none} without a way round), "
               "{cutoff} roads cut off, {routes} bus routes to reroute").format(
                day=day.isoformat(), closures=impact.closing_works, detours=len(impact.detours), none=no_detour,
                cutoff=len(impact.cutoff), routes=len(routes))
        )
        progress(1.0)
        for output, dest in ((self.OUTPUT_DETOURS, detours_id), (self.OUTPUT_CUTOFF, cutoff_id),
                             (self.OUTPUT_BUS, bus_id)):
            style_on_load(context, dest, lambda layer, output=output: apply_detours_style(layer, output))
        return {self.OUTPUT_DETOURS: detours_id, self.OUTPUT_CUTOFF: cutoff_id, self.OUTPUT_BUS: bus_id,
                "DETOUR_COUNT": len(impact.detours), "NO_DETOUR_COUNT": no_detour, "CUTOFF_COUNT": len(impact.cutoff),
                "BUS_ROUTE_COUNT": len(routes)}
