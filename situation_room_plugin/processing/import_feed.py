"""situation_room:import_feed — the works of one feed (WFS, OGC API Features, GeoJSON, WZDx) and its problems."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsFeatureSink,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterAuthConfig,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from situation_room_plugin.core.progress import Progress
from situation_room_plugin.core.sources import Role, Source, SourceKind, credentials_problems, mapping_from_dict
from situation_room_plugin.core.works import Work
from situation_room_plugin.processing.base import SituationRoomAlgorithm, with_help
from situation_room_plugin.processing.problems_sink import REPORT, add_report_parameter, push_problems, write_report
from situation_room_plugin.qgis_io import layers, transport
from situation_room_plugin.qgis_io import sources as feeds
from situation_room_plugin.qgis_io.project import owner_registry
from situation_room_plugin.toolbelt.i18n import problem_message, tr

#: The kinds this algorithm reads, in the order of the KIND parameter's options.
IMPORT_KINDS = (SourceKind.GEOJSON_URL.value, SourceKind.GEOJSON_FILE.value, SourceKind.WFS.value,
                SourceKind.OGCAPI_FEATURES.value, SourceKind.WZDX.value)


class ImportFeedAlgorithm(SituationRoomAlgorithm):
    NAME = "import_feed"
    DISPLAY = QT_TRANSLATE_NOOP("Algorithms", "Import a feed of works")
    HELP = QT_TRANSLATE_NOOP(
        "Algorithms",
        "Reads the works a utility or the Comune publishes: a GeoJSON file or URL, a WFS (1.0, 1.1, 2.0), an "
        "OGC API Features collection or a WZDx 4.x feed.\n"
        "KIND: 0 GeoJSON URL, 1 GeoJSON file, 2 WFS, 3 OGC API Features, 4 WZDx. LAYER names the WFS type or "
        "OGC API collection.\n"
        "MAPPING (JSON, optional) maps the feed's fields to the works schema: {\"fields\": {\"Data inizio\": "
        "\"start_date\"}, \"values\": {\"work_type\": {\"Scavo\": \"excavation\"}}, \"date_formats\": "
        "{\"start_date\": [\"%d/%m/%Y\"]}, \"defaults\": {...}, \"buffer_m\": 5}.\n"
        "Network access goes through QGIS's settings (proxy, SSL) and AUTHCFG; an address carrying a user name "
        "or password is refused (keep credentials in an authentication configuration). Among the advanced "
        "parameters, IDLE_TIMEOUT (seconds without a byte before a try is given up), TOTAL_TIMEOUT (the overall "
        "limit in seconds) and MAX_MB (the largest answer or file) say how patient to be.\n"
        "OUTPUT holds the valid works in EPSG:6707; REPORT every problem of the feed and of each feature."
    )

    SOURCE = "SOURCE"
    KIND = "KIND"
    LAYER = "LAYER"
    OWNER = "OWNER"
    AUTHCFG = "AUTHCFG"
    MAPPING = "MAPPING"
    IDLE_TIMEOUT = "IDLE_TIMEOUT"
    TOTAL_TIMEOUT = "TOTAL_TIMEOUT"
    MAX_MB = "MAX_MB"
    OUTPUT = "OUTPUT"

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:  # noqa: N802 - Qt API
        self.addParameter(with_help(QgsProcessingParameterString(
            self.SOURCE, tr("Feed address (URL) or file")
        ), tr("The address of the feed (for WFS and OGC API Features, the service's) or the path of a GeoJSON "
              "or WZDx file.")))
        self.addParameter(with_help(QgsProcessingParameterEnum(
            self.KIND, tr("Kind of feed"),
            [tr("GeoJSON URL"), tr("GeoJSON file"), tr("WFS"), tr("OGC API Features"), tr("WZDx feed")],
            defaultValue=0,
        ), tr("What SOURCE is: 0 GeoJSON URL, 1 GeoJSON file, 2 WFS, 3 OGC API Features, 4 WZDx feed (URL or "
              "file).")))
        self.addParameter(with_help(QgsProcessingParameterString(
            self.LAYER, tr("WFS layer or OGC API collection"), optional=True
        ), tr("The WFS feature type or the OGC API collection to read; not used for GeoJSON and WZDx.")))
        self.addParameter(with_help(QgsProcessingParameterString(
            self.OWNER, tr("Organisation publishing the feed"), defaultValue="comune"
        ), tr("The id of the organisation whose works these are when a feature does not say, e.g. publiacqua.")))
        self.addParameter(with_help(QgsProcessingParameterAuthConfig(
            self.AUTHCFG, tr("Authentication"), optional=True
        ), tr("A QGIS authentication configuration, for feeds that need a login or a key.")))
        self.addParameter(with_help(QgsProcessingParameterString(
            self.MAPPING, tr("Field mapping (JSON)"), multiLine=True, optional=True
        ), tr("JSON mapping the feed's field names, values and date formats to the works schema (see the "
              "algorithm's help); empty: the feed uses the schema's names.")))
        defaults = transport.HttpOptions()
        self.addParameter(with_help(QgsProcessingParameterNumber(
            self.IDLE_TIMEOUT, tr("Idle timeout (seconds)"), QgsProcessingParameterNumber.Type.Double,
            defaultValue=defaults.idle_timeout_s, minValue=0.1,
        ), tr("A try is given up when the server sends nothing for this long (and tried again, up to 3 times)."),
            advanced=True))
        self.addParameter(with_help(QgsProcessingParameterNumber(
            self.TOTAL_TIMEOUT, tr("Overall time limit (seconds)"), QgsProcessingParameterNumber.Type.Double,
            defaultValue=defaults.total_timeout_s, minValue=0.1,
        ), tr("The longest a download may take, its retries included: a feed still arriving then is refused."),
            advanced=True))
        self.addParameter(with_help(QgsProcessingParameterNumber(
            self.MAX_MB, tr("Size limit (MB)"), QgsProcessingParameterNumber.Type.Double,
            defaultValue=defaults.max_mb, minValue=0.01,
        ), tr("The largest answer (or file) read, in megabytes: a larger one is refused."), advanced=True))
        self.addParameter(with_help(QgsProcessingParameterFeatureSink(
            self.OUTPUT, tr("Works"), QgsProcessing.SourceType.TypeVectorPolygon
        ), tr("The valid works of the feed, in the schema and in EPSG:6707.")))
        add_report_parameter(self)

    def checkParameterValues(  # noqa: N802 - Qt API
        self, parameters: dict[str, Any], context: QgsProcessingContext
    ) -> tuple[bool, str]:
        """An address with a user name or password is refused before QGIS's dialog logs the parameters."""
        refused = self._credentials_error(parameters, context)
        if refused:
            return False, refused
        return super().checkParameterValues(parameters, context)

    def _credentials_error(self, parameters: dict[str, Any], context: QgsProcessingContext) -> str:
        url = self.parameterAsString(parameters, self.SOURCE, context).strip()
        return "\n".join(f"{p.record}: {problem_message(p)}" for p in credentials_problems(url, self.SOURCE))

    def execute(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback,
        progress: Progress,
    ) -> dict[str, Any]:
        refused = self._credentials_error(parameters, context)  # before anything is logged or requested
        if refused:
            raise QgsProcessingException(refused)
        url = self.parameterAsString(parameters, self.SOURCE, context).strip()
        kind = IMPORT_KINDS[self.parameterAsEnum(parameters, self.KIND, context)]
        mapping, problems = mapping_from_dict(self.parameterAsString(parameters, self.MAPPING, context), "MAPPING")
        if problems:
            raise QgsProcessingException("\n".join(f"{p.field}: {problem_message(p)}" for p in problems))
        shown = transport.redacted(url) if "://" in url else url
        source = Source(
            id="feed", title=shown, owner=self.parameterAsString(parameters, self.OWNER, context).strip() or "comune",
            kind=kind, url=url, layer=self.parameterAsString(parameters, self.LAYER, context).strip(),
            authcfg=self.parameterAsString(parameters, self.AUTHCFG, context).strip(), role=Role.WORKS.value,
            mapping=mapping, timeout_s=self.parameterAsDouble(parameters, self.IDLE_TIMEOUT, context),
            total_timeout_s=self.parameterAsDouble(parameters, self.TOTAL_TIMEOUT, context),
            max_mb=self.parameterAsDouble(parameters, self.MAX_MB, context),
        )
        feedback.pushInfo(tr("Reading {url}").format(url=shown))
        fields = layers.works_fields()
        sink, dest_id = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, layers.WORKS_WKB_TYPE, layers.project_crs()
        )
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        valid = 0

        def add(works: list[Work]) -> None:  # a batch at a time: the feed is never all in memory
            nonlocal valid
            for work in works:
                sink.addFeature(layers.work_to_feature(work, fields), QgsFeatureSink.Flag.FastInsert)
            valid += len(works)

        try:
            report, read = feeds.import_works(source, owner_registry(context.project()), add, feedback=feedback,
                                              context=context.transformContext(), progress=progress)
        except feeds.SourceUnavailableError as error:
            raise QgsProcessingException(problem_message(error.problem)) from error
        push_problems(feedback, report.problems)
        report_id = write_report(self, parameters, context, report.problems)
        feedback.pushInfo(
            tr("{features} features read: {valid} valid works, {invalid} invalid records, {problems} problems").format(
                features=read, valid=valid, invalid=report.invalid_records, problems=len(report.problems))
        )
        return {self.OUTPUT: dest_id, REPORT: report_id, "VALID_COUNT": valid,
                "INVALID_COUNT": report.invalid_records}
