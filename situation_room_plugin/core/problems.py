"""Problems found in input records: a stable code, the record and field it concerns, and a message.

Message templates are written once, here, in English. `QT_TRANSLATE_NOOP` is a local no-op that marks
them for pylupdate5, so that the QGIS side can show them in the user's language without core importing Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

CONTEXT = "Problems"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name pylupdate5 looks for
    return text


class Severity(str, Enum):
    """An error rejects the record; a warning keeps it (repaired or defaulted) and says what was done."""

    ERROR = "error"
    WARNING = "warning"
    #: Nothing wrong: what was done for the user (uids given to records that had none).
    INFO = "info"


TEMPLATES: dict[str, str] = {
    "missing_value": QT_TRANSLATE_NOOP("Problems", "Field '{field}' is mandatory and is empty."),
    "bad_date": QT_TRANSLATE_NOOP(
        "Problems", "Field '{field}' has '{value}', which is not a date (expected YYYY-MM-DD)."
    ),
    "bad_datetime": QT_TRANSLATE_NOOP(
        "Problems", "Field '{field}' has '{value}', which is not a date and time (expected ISO 8601)."
    ),
    "datetime_out_of_range": QT_TRANSLATE_NOOP(
        "Problems", "Field '{field}' has '{value}', which is not a moment of the years 1 to 9999 in UTC."
    ),
    "end_before_start": QT_TRANSLATE_NOOP("Problems", "End date {end_date} is before start date {start_date}."),
    "window_too_narrow": QT_TRANSLATE_NOOP(
        "Problems",
        "The window {earliest_start} to {latest_end} cannot hold the work from {start_date} to {end_date}."
    ),
    "unknown_owner": QT_TRANSLATE_NOOP(
        "Problems", "Owner '{value}' is not in the organisation registry (known: {allowed})."
    ),
    "unknown_value": QT_TRANSLATE_NOOP("Problems", "Field '{field}' has '{value}', which is not one of: {allowed}."),
    "bad_bool": QT_TRANSLATE_NOOP("Problems", "Field '{field}' has '{value}', which is not yes/no."),
    "bad_integer": QT_TRANSLATE_NOOP("Problems", "Field '{field}' has '{value}', which is not a whole number."),
    "bad_uid": QT_TRANSLATE_NOOP("Problems", "Field 'uid' has '{value}', which is not a UUID."),
    "uid_assigned": QT_TRANSLATE_NOOP("Problems", "The record had no uid: {value} was assigned."),
    "uids_assigned": QT_TRANSLATE_NOOP(
        "Problems", "{count} records had no uid: each was given one derived from the layer and its feature id, "
        "the same at every run."),
    "duplicate_uid": QT_TRANSLATE_NOOP("Problems", "uid {value} is used by another record too ({other})."),
    "bad_hours": QT_TRANSLATE_NOOP(
        "Problems", "Field 'daily_hours' has '{value}', which is not a time range like 08:00-17:00."
    ),
    "missing_geometry": QT_TRANSLATE_NOOP("Problems", "The record has no footprint geometry."),
    "empty_geometry": QT_TRANSLATE_NOOP("Problems", "The footprint geometry is empty."),
    "not_polygon": QT_TRANSLATE_NOOP(
        "Problems", "The footprint is a {value}; a work's footprint must be a polygon or multipolygon."
    ),
    "geometry_repaired": QT_TRANSLATE_NOOP(
        "Problems", "The footprint was invalid ({value}) and was repaired with make_valid."
    ),
    "geometry_unrepairable": QT_TRANSLATE_NOOP(
        "Problems", "The footprint was invalid ({value}) and no polygon is left after repairing it."
    ),
    "outside_area": QT_TRANSLATE_NOOP(
        "Problems", "The footprint lies at {value}, outside the project's area (the area of use of {crs}, Italy)."
    ),
    "swapped_coordinates": QT_TRANSLATE_NOOP(
        "Problems",
        "The footprint lies at {value}, outside the project's area ({crs}, Italy), but it would be inside with its "
        "two coordinates swapped: are latitude and longitude (or x and y) swapped in the source?"
    ),
    "degrees_not_metres": QT_TRANSLATE_NOOP(
        "Problems",
        "The footprint lies at {value}, which looks like longitude and latitude in degrees, not {crs} metres: "
        "is the layer's CRS wrong?"
    ),
    "too_many_vertices": QT_TRANSLATE_NOOP(
        "Problems",
        "The footprint has {value} vertices, more than the {limit} a work's footprint may have (setting "
        "{setting}): it is refused (simplify it in the source, or raise the limit)."
    ),
    "too_many_parts": QT_TRANSLATE_NOOP(
        "Problems",
        "The footprint has {value} parts, more than the {limit} a work's footprint may have (setting {setting}): "
        "it is refused (split it into works in the source, or raise the limit)."
    ),
    "too_complex_to_repair": QT_TRANSLATE_NOOP(
        "Problems",
        "The footprint is invalid ({value}) and its outline crosses itself more than {limit} times (setting "
        "{setting}): too complex to repair here, it is refused (correct it in the source, or raise the limit)."
    ),
    "too_complex_to_buffer": QT_TRANSLATE_NOOP(
        "Problems",
        "The line crosses itself more than {limit} times (setting {setting}): too complex to make a footprint of, "
        "it is refused (correct it in the source, or raise the limit)."
    ),
    "zero_length_line": QT_TRANSLATE_NOOP(
        "Problems", "The line has all its points at one place: it is read as a point location."
    ),
    "geometry_unreadable": QT_TRANSLATE_NOOP("Problems", "The footprint geometry cannot be read: {value}."),
    "no_crs": QT_TRANSLATE_NOOP("Problems", "The layer has no valid coordinate reference system."),
    # Sources and feeds: the registry, the documents, the network, the offline copy
    "bad_json": QT_TRANSLATE_NOOP("Problems", "The document is not valid JSON: {value}."),
    "truncated_json": QT_TRANSLATE_NOOP(
        "Problems", "The document ends too early ({value}, after {size} characters): the download was cut off."
    ),
    "bad_encoding": QT_TRANSLATE_NOOP("Problems", "The document cannot be read as text: {value}."),
    "not_utf8": QT_TRANSLATE_NOOP(
        "Problems",
        "The document is not UTF-8 text (byte {byte} at offset {offset}), nor Windows-1252: ask for it in UTF-8."
    ),
    "read_as_cp1252": QT_TRANSLATE_NOOP(
        "Problems",
        "The document is not UTF-8 text (byte {byte} at offset {offset}): it was read as Windows-1252 (Western "
        "European). If accented letters look wrong, ask for it in UTF-8."
    ),
    "xml_not_geojson": QT_TRANSLATE_NOOP(
        "Problems",
        "The document is XML (root element <{value}>: a WFS/GML answer, or an error page?), not GeoJSON."
    ),
    "nul_removed": QT_TRANSLATE_NOOP(
        "Problems", "Field '{field}' had {count} NUL characters, removed (the text after them is kept)."
    ),
    "empty_document": QT_TRANSLATE_NOOP("Problems", "The document is empty."),
    "not_feature_collection": QT_TRANSLATE_NOOP(
        "Problems", "The document is a '{value}', not a GeoJSON FeatureCollection."
    ),
    "unknown_crs": QT_TRANSLATE_NOOP(
        "Problems", "The document names a CRS that cannot be read ({value}); its coordinates are taken as {crs}."
    ),
    "not_a_feature": QT_TRANSLATE_NOOP("Problems", "The item is a '{value}', not a GeoJSON Feature."),
    "bad_properties": QT_TRANSLATE_NOOP("Problems", "The feature's properties are a {value}, not an object."),
    "not_lonlat": QT_TRANSLATE_NOOP(
        "Problems",
        "The coordinates {value} are not longitude/latitude: GeoJSON is in WGS 84 (RFC 7946). "
        "If the feed uses another CRS, set it in the source's definition."
    ),
    "bad_date_format": QT_TRANSLATE_NOOP(
        "Problems", "Field '{field}' has '{value}', which does not match the source's date format {formats}."
    ),
    "wzdx_no_version": QT_TRANSLATE_NOOP(
        "Problems", "The feed does not say its WZDx version (feed_info.version); versions read: {allowed}."
    ),
    "wzdx_unsupported_version": QT_TRANSLATE_NOOP(
        "Problems", "WZDx version {value} is not supported; versions read: {allowed}."
    ),
    "wzdx_event_type": QT_TRANSLATE_NOOP(
        "Problems", "Road event type '{value}' is not a work; the types read are: {allowed}."
    ),
    "source_not_object": QT_TRANSLATE_NOOP("Problems", "A source must be a JSON object, not a {value}."),
    "sources_not_list": QT_TRANSLATE_NOOP(
        "Problems", "The sources file must hold a list of sources, or an object with a 'sources' list, not a {value}."
    ),
    "unknown_key": QT_TRANSLATE_NOOP("Problems", "'{field}' is not a known key (known: {allowed})."),
    "bad_source_id": QT_TRANSLATE_NOOP(
        "Problems", "Source id '{value}' must be lower-case letters, digits, '_' or '-' (at most 63)."
    ),
    "duplicate_source_id": QT_TRANSLATE_NOOP("Problems", "Source id '{value}' is used by another source too."),
    "bad_url": QT_TRANSLATE_NOOP("Problems", "'{value}' is not an http(s) or file address."),
    "credentials_in_url": QT_TRANSLATE_NOOP(
        "Problems",
        "The address of {value} carries a user name or password: keep credentials in QGIS's authentication "
        "database and give the source its authcfg id."
    ),
    "mapping_not_object": QT_TRANSLATE_NOOP("Problems", "'{field}' must be a JSON object, not a {value}."),
    "unknown_target": QT_TRANSLATE_NOOP(
        "Problems", "'{value}' is mapped to '{target}', which is not a works field here (fields: {allowed})."
    ),
    "bad_mapping_entry": QT_TRANSLATE_NOOP("Problems", "'{field}' has an entry that cannot be used: {value}."),
    "not_a_distance": QT_TRANSLATE_NOOP("Problems", "'{field}' has '{value}', which is not a distance in metres."),
    "not_a_number": QT_TRANSLATE_NOOP("Problems", "'{field}' has '{value}', which is not a number."),
    "not_positive": QT_TRANSLATE_NOOP("Problems", "'{field}' has {value}: it must be more than 0."),
    "http_error": QT_TRANSLATE_NOOP("Problems", "The server answered HTTP {status} ({value}) for {url}."),
    "auth_failed": QT_TRANSLATE_NOOP(
        "Problems",
        "The server refused the credentials for {url} (HTTP {status}): check the user name and password of "
        "authentication configuration '{authcfg}'."
    ),
    "auth_required": QT_TRANSLATE_NOOP(
        "Problems", "The server asks for credentials for {url} (HTTP {status}): give the source an authcfg id."
    ),
    "auth_config_missing": QT_TRANSLATE_NOOP(
        "Problems", "Authentication configuration '{authcfg}' is not in QGIS's authentication database."
    ),
    "timeout": QT_TRANSLATE_NOOP(
        "Problems",
        "No answer from {url} within {seconds} s, QGIS's own network timeout (Settings > Options > Network; tried "
        "{attempts} times)."
    ),
    "idle_timeout": QT_TRANSLATE_NOOP(
        "Problems",
        "{url} was silent for {seconds} s (no byte received; tried {attempts} times). If the server is only slow, "
        "raise the source's timeout_s (import_feed: IDLE_TIMEOUT)."
    ),
    "total_timeout": QT_TRANSLATE_NOOP(
        "Problems",
        "{url} did not finish its answer within the overall limit of {seconds} s ({received} bytes received): "
        "refused. If the source is right, raise its total_timeout_s (import_feed: TOTAL_TIMEOUT)."
    ),
    "network_error": QT_TRANSLATE_NOOP(
        "Problems", "{url} cannot be reached: {value} (tried {attempts} times)."
    ),
    "too_large": QT_TRANSLATE_NOOP(
        "Problems",
        "{url} sends more than {limit} MB: refused. If the source is right, raise its size limit (the source's "
        "max_mb; import_feed: MAX_MB)."
    ),
    "file_too_large": QT_TRANSLATE_NOOP(
        "Problems",
        "The file {value} is {size} MB, more than the limit of {limit} MB: refused. If the file is right, raise "
        "its size limit (the source's max_mb; import_feed: MAX_MB)."
    ),
    "file_unreadable": QT_TRANSLATE_NOOP("Problems", "The file {value} cannot be read: {reason}."),
    "layer_unreadable": QT_TRANSLATE_NOOP("Problems", "QGIS cannot open layer '{layer}' of {url}: {value}."),
    "layer_error": QT_TRANSLATE_NOOP("Problems", "Reading layer '{layer}' of {url} failed: {value}."),
    "kind_not_loaded": QT_TRANSLATE_NOOP(
        "Problems", "Sources of kind '{value}' are read by the analyses that use them, not loaded as layers."
    ),
    "cached_copy_used": QT_TRANSLATE_NOOP(
        "Problems", "The source cannot be read now; its copy of {snapshot} ({age} old) is used."
    ),
    "no_cached_copy": QT_TRANSLATE_NOOP(
        "Problems", "The source cannot be read now and the project has no copy of it yet."
    ),
    "refresh_failed": QT_TRANSLATE_NOOP(
        "Problems", "Reading the source failed ({value}); its previous copy is kept, the other sources are read."
    ),
    # Analyses: what a workflow needs and did not get
    "no_such_file": QT_TRANSLATE_NOOP("Problems", "{path}: no such file."),
    "osm_no_layer": QT_TRANSLATE_NOOP(
        "Problems", "{path}: no OpenStreetMap '{layer}' layer (is it an .osm.pbf or .osm file?)"
    ),
    "no_protected_until": QT_TRANSLATE_NOOP(
        "Problems",
        "The protected streets layer {layer} has no protected_until field (the date until which the street "
        "may not be dug)."
    ),
    "roads_no_crs": QT_TRANSLATE_NOOP("Problems", "The road layer has no valid coordinate reference system."),
    "roads_not_drivable": QT_TRANSLATE_NOOP("Problems", "The road layer has no drivable lines."),
    "gtfs_not_zip": QT_TRANSLATE_NOOP("Problems", "{path} is not a GTFS zip ({value})."),
    "gtfs_missing_table": QT_TRANSLATE_NOOP("Problems", "{path}: the GTFS table {value} is missing."),
    "gtfs_bad_table": QT_TRANSLATE_NOOP("Problems", "{path}: a GTFS table cannot be read ({value})."),
    "gtfs_no_calendar": QT_TRANSLATE_NOOP(
        "Problems", "{path}: neither calendar.txt nor calendar_dates.txt says when buses run."
    ),
    # The project store (the record is the store's path)
    "store_missing": QT_TRANSLATE_NOOP("Problems", "There is no project store here."),
    "not_a_store": QT_TRANSLATE_NOOP("Problems", "This file is not a Situation Room project store ({value})."),
    "store_newer": QT_TRANSLATE_NOOP(
        "Problems",
        "The store was written by a newer Situation Room (schema changes {value} are unknown to this version): "
        "update the plugin."
    ),
    "store_outdated": QT_TRANSLATE_NOOP(
        "Problems",
        "The store is from an older version of Situation Room (it lacks {value}): this cannot be read until it "
        "is upgraded, which happens the first time this version writes to it."
    ),
    "store_locked": QT_TRANSLATE_NOOP(
        "Problems",
        "Another QGIS or another process is writing to the store (still busy after {seconds} s): try again "
        "when it has finished."
    ),
    "store_failed": QT_TRANSLATE_NOOP("Problems", "The store cannot be read or written: {value}."),
    "integer_too_large": QT_TRANSLATE_NOOP(
        "Problems", "Field '{field}' has {value}, a whole number too large to store (at most {limit}): "
        "the record is not written."
    ),
    "bad_text": QT_TRANSLATE_NOOP(
        "Problems", "Field '{field}' has '{value}', text that is not valid Unicode (character {position} is a lone "
        "surrogate): the record is not written."
    ),
    # Synchronisation (the record is the outbox op or the work's uid)
    "sync_bad_transition": QT_TRANSLATE_NOOP(
        "Problems", "The outbox cannot do '{value}' with an operation in state {state}."
    ),
    "sync_edit_deleted": QT_TRANSLATE_NOOP(
        "Problems", "The work was deleted here and is waiting to be sent: it cannot be changed ({value})."
    ),
    "sync_created_twice": QT_TRANSLATE_NOOP("Problems", "The work is already waiting to be created on the server."),
    "sync_no_base": QT_TRANSLATE_NOOP(
        "Problems", "The change {value} needs the server's copy of the work, and there is none here."
    ),
    "sync_unresolved": QT_TRANSLATE_NOOP(
        "Problems", "The conflict on '{field}' has no choice yet (keep mine, keep theirs or a value)."
    ),
    "sync_conflict_open": QT_TRANSLATE_NOOP(
        "Problems", "The work has a conflict with the server's copy to resolve first (keep mine, keep theirs or "
        "a value)."
    ),
    "sync_bad_server_copy": QT_TRANSLATE_NOOP(
        "Problems", "The server's copy of the work cannot be read: {value}."
    ),
    "sync_refused": QT_TRANSLATE_NOOP(
        "Problems", "The server refused the change, which stays in the outbox: {value}"
    ),
    "sync_not_landed": QT_TRANSLATE_NOOP(
        "Problems", "The change did not reach the server ({value}): it will be sent again at the next sync."
    ),
    "sync_conflict": QT_TRANSLATE_NOOP(
        "Problems", "The work was changed both here and on the server ({value}): resolve the conflict (keep mine, "
        "keep theirs or a value)."
    ),
    "sync_not_writable": QT_TRANSLATE_NOOP(
        "Problems", "The source is not a platform the Situation Room writes to: it must be a WFS or OGC API "
        "Features source with role works and \"writable\": true."
    ),
    "sync_local_invalid": QT_TRANSLATE_NOOP(
        "Problems", "The work cannot be sent until it is corrected: {value}"
    ),
}


@dataclass(frozen=True)
class Problem:
    """One problem of one record: `record` names it (uid, id or title), `field` the attribute or 'geometry'."""

    record: str
    field: str
    code: str
    severity: Severity = Severity.ERROR
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return format_message(TEMPLATES[self.code], self.params, self.field)

    def __str__(self) -> str:
        return f"{self.record}: {self.message}"


def format_message(template: str, params: dict[str, Any], field_name: str) -> str:
    """Fill a template; a template is always filled, even if a caller forgot a parameter."""
    values = {"field": field_name, **{k: ("" if v is None else v) for k, v in params.items()}}

    class _Default(dict):
        def __missing__(self, key: str) -> str:
            return "?"

    return template.format_map(_Default(values))


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)
