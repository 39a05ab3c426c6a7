"""Every case of tests/qgis/algorithm_cases/*.yaml run through processing.run: a case is data (the algorithm,
its parameters, the outputs expected), as in QGIS's own Processing tests, so that adding a case is adding a
file. The format is in algorithm_cases/README.md; this module is its only reader."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import processing
import pytest
import shapely
import yaml
from qgis.core import QgsProcessingException, QgsProject, QgsVectorLayer

from situation_room_plugin.qgis_io import layers
from tests.conftest import SHARED_DATA

CASES = Path(__file__).resolve().parent / "algorithm_cases"
CASE_KEYS = {"name", "algorithm", "project", "params", "results", "error"}
VECTOR_KEYS = {"type", "name", "compare", "crs", "fields", "feature_count", "order_by", "columns", "features"}
FILE_KEYS = {"type", "regex", "not_regex"}
FEATURE_KEYS = {"where", "attributes", "area", "length", "bounds"}
MATCHER_KEYS = {"approx", "rel", "abs", "min", "max", "regex", "startswith", "contains", "null"}
PLACEHOLDER = re.compile(r"\{(data|expected|shared|tmp)\}")


def case_files() -> list[Path]:
    return sorted(CASES.glob("*.yaml"))


def load(path: Path) -> dict[str, Any]:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    unknown = set(case) - CASE_KEYS
    assert not unknown, f"{path.name}: unknown keys {sorted(unknown)} (known: {sorted(CASE_KEYS)})"
    assert "algorithm" in case and "params" in case and ("results" in case) != ("error" in case), \
        f"{path.name}: a case has an algorithm, params, and either results or an error"
    return case


# ---------------------------------------------------------------------------------------------------------
# Inputs: placeholders, parameters, the project


class Places:
    """Resolves {data}, {expected}, {shared} and {tmp} in the texts of a case; skips when shared data is absent."""

    def __init__(self, tmp: Path) -> None:
        self.roots = {"data": CASES / "data", "expected": CASES / "expected", "shared": SHARED_DATA, "tmp": tmp}

    def text(self, value: str) -> str:
        if "{shared}" in value:
            path = Path(PLACEHOLDER.sub(lambda m: str(self.roots[m.group(1)]), value).split("|")[0])
            if not path.exists():
                pytest.skip(f"the reference data {path} is absent (see ../shared/data/README.md)")
        return PLACEHOLDER.sub(lambda m: str(self.roots[m.group(1)]), value)

    def value(self, value: Any) -> Any:
        """A parameter value as qgis_process would pass it: paths resolved, dates as YYYY-MM-DD, JSON as text."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            kind = value.get("type")
            if kind in ("vector", "file"):
                return self.text(value["name"])
            if kind == "json":
                return json.dumps(self.value(value["value"]))
            return {k: self.value(v) for k, v in value.items()}
        return value


def set_up_project(spec: dict[str, Any], places: Places) -> None:
    """A project with a store and sources: written to `file` when given (for PROJECT), else the current one."""
    from situation_room_plugin.core.sources import sources_from_json
    from situation_room_plugin.qgis_io import sources as feeds
    from situation_room_plugin.qgis_io.project import set_store_path
    from situation_room_plugin.qgis_io.store import Store

    file = places.text(spec["file"]) if "file" in spec else None
    project = QgsProject() if file else QgsProject.instance()
    if file:
        project.setFileName(file)
    if "store" in spec:
        store = places.text(spec["store"])
        Store.open(store).close()
        set_store_path(store, project)
    if "sources" in spec:
        sources, problems = sources_from_json(json.dumps(places.value(spec["sources"])))
        assert problems == [], problems
        feeds.write_registry(sources, project)
    if file:
        assert project.write(), f"cannot write {file}"


# ---------------------------------------------------------------------------------------------------------
# Expected values


def plain(value: Any) -> Any:
    """An attribute or result value as plain Python, dates as YYYY-MM-DD."""
    value = layers.to_python(value)
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def literal(value: Any) -> Any:
    """A value written in a case: YAML reads 2016-05-03 as a date, outputs give it as YYYY-MM-DD."""
    return value.isoformat() if isinstance(value, dt.date) else value


def check_value(actual: Any, expected: Any, where: str) -> None:
    """`expected` is a value (floats within 1e-6 relative), or a matcher: {approx, rel, abs}, {min, max},
    {regex}, {startswith}, {contains}, {null: true}."""
    actual, expected = plain(actual), literal(expected)
    if isinstance(expected, dict):
        unknown = set(expected) - MATCHER_KEYS
        assert not unknown, f"{where}: unknown matcher keys {sorted(unknown)}"
        if "null" in expected:
            assert (actual is None) == bool(expected["null"]), f"{where}: {actual!r}"
        if "approx" in expected:
            assert actual == pytest.approx(expected["approx"], rel=expected.get("rel"), abs=expected.get("abs")), \
                f"{where}: {actual!r} is not about {expected['approx']}"
        if "min" in expected:
            assert actual is not None and actual >= expected["min"], f"{where}: {actual!r} < {expected['min']}"
        if "max" in expected:
            assert actual is not None and actual <= expected["max"], f"{where}: {actual!r} > {expected['max']}"
        if "regex" in expected:
            assert re.search(expected["regex"], str(actual)), f"{where}: {actual!r} !~ {expected['regex']!r}"
        if "startswith" in expected:
            assert str(actual).startswith(expected["startswith"]), f"{where}: {actual!r}"
        if "contains" in expected:
            assert expected["contains"] in str(actual), f"{where}: {actual!r}"
        return
    if isinstance(expected, float):
        assert actual == pytest.approx(expected, rel=1e-6), f"{where}: {actual!r} != {expected!r}"
        return
    assert actual == expected, f"{where}: {actual!r} != {expected!r}"


def as_layer(value: Any, where: str) -> QgsVectorLayer:
    layer = value if isinstance(value, QgsVectorLayer) else QgsVectorLayer(str(value), "output", "ogr")
    assert layer.isValid(), f"{where}: {value!r} is not a layer"
    return layer


def rows(layer: QgsVectorLayer, order_by: list[str] | None) -> list[dict[str, Any]]:
    names = layer.fields().names()
    out = [{**{n: plain(v) for n, v in zip(names, f.attributes())}, "_geometry": f.geometry()}
           for f in layer.getFeatures()]
    if order_by:
        out.sort(key=lambda r: tuple((r[k] is None, r[k]) for k in order_by))
    return out


def shape(geometry: Any) -> shapely.Geometry | None:
    return None if geometry is None or geometry.isNull() else shapely.from_wkb(bytes(geometry.asWkb()))


def check_vector(layer: QgsVectorLayer, spec: dict[str, Any], places: Places, where: str) -> None:
    unknown = set(spec) - VECTOR_KEYS
    assert not unknown, f"{where}: unknown keys {sorted(unknown)} (known: {sorted(VECTOR_KEYS)})"
    if "crs" in spec:
        assert layer.crs().authid() == spec["crs"], f"{where}: CRS {layer.crs().authid()}"
    if "fields" in spec:
        names = layer.fields().names()
        assert names[:len(spec["fields"])] == spec["fields"], f"{where}: fields {names}"
    if "feature_count" in spec:
        check_value(layer.featureCount(), spec["feature_count"], f"{where} feature count")
    table = rows(layer, spec.get("order_by"))
    for name, values in spec.get("columns", {}).items():  # a field's values over every feature, in order
        column = [r[name] for r in table]
        assert len(column) == len(values), f"{where}: column {name} has {len(column)} values: {column}"
        for i, (actual, expected) in enumerate(zip(column, values)):
            check_value(actual, expected, f"{where}: column {name}[{i}] of {column}")
    for i, expected in enumerate(spec.get("features", [])):
        check_feature(table, expected, f"{where} features[{i}]")
    if "name" in spec:
        compare_with_file(table, spec, places, where)


def check_feature(table: list[dict[str, Any]], spec: dict[str, Any], where: str) -> None:
    """The one feature whose attributes match `where` has the `attributes`, `area`, `length` and `bounds`
    ({xmin, ymin, xmax, ymax}) given."""
    unknown = set(spec) - FEATURE_KEYS
    assert not unknown, f"{where}: unknown keys {sorted(unknown)} (known: {sorted(FEATURE_KEYS)})"
    conditions = {k: literal(v) for k, v in spec.get("where", {}).items()}
    found = [r for r in table if all(r.get(k) == v for k, v in conditions.items())]
    assert len(found) == 1, f"{where}: {len(found)} features match {conditions}"
    (row,) = found
    for name, expected in spec.get("attributes", {}).items():
        assert name in row, f"{where}: no field {name}"
        check_value(row[name], expected, f"{where}.{name}")
    if "area" in spec:
        check_value(row["_geometry"].area(), spec["area"], f"{where} area")
    if "length" in spec:
        check_value(row["_geometry"].length(), spec["length"], f"{where} length")
    if "bounds" in spec:
        box = row["_geometry"].boundingBox()
        corners = {"xmin": box.xMinimum(), "ymin": box.yMinimum(), "xmax": box.xMaximum(), "ymax": box.yMaximum()}
        for corner, expected in spec["bounds"].items():
            assert corner in corners, f"{where}: bounds has {corner}, not one of {sorted(corners)}"
            check_value(corners[corner], expected, f"{where} bounds {corner}")


def compare_with_file(table: list[dict[str, Any]], spec: dict[str, Any], places: Places, where: str) -> None:
    """Feature by feature (in `order_by` order) against the expected file `name`: every field of the expected
    file but those `compare: fields:` skips (or rounds: {precision: n}), and the geometry within 10^-precision
    (Hausdorff distance, in the layer's units; `compare: geometry: {precision: n}`, default 6)."""
    compare = spec.get("compare", {})
    expected_layer = as_layer(places.text(spec["name"]), f"{where} expected file")
    expected_rows = rows(expected_layer, spec.get("order_by"))
    assert len(table) == len(expected_rows), f"{where}: {len(table)} features, {len(expected_rows)} expected"
    field_rules = compare.get("fields", {})
    precision = compare.get("geometry", {}).get("precision", 6)
    for i, (got, want) in enumerate(zip(table, expected_rows)):
        for name in expected_layer.fields().names():
            rule = field_rules.get(name)
            if rule == "skip":
                continue
            assert name in got, f"{where}: no field {name}"
            if isinstance(rule, dict) and "precision" in rule and want[name] is not None:
                assert got[name] == pytest.approx(want[name], abs=10 ** -rule["precision"]), f"{where}[{i}].{name}"
            else:
                assert got[name] == want[name], f"{where}[{i}].{name}: {got[name]!r} != {want[name]!r}"
        if compare.get("geometry") != "skip":
            a, b = shape(got["_geometry"]), shape(want["_geometry"])
            assert (a is None) == (b is None), f"{where}[{i}]: geometry {a} vs {b}"
            if a is not None:
                distance = shapely.hausdorff_distance(a, b)
                assert distance <= 10 ** -precision, f"{where}[{i}]: geometry off by {distance}"


def check_file(path: str, spec: dict[str, Any], where: str) -> None:
    """A text output: every `regex` matches a line, no `not_regex` matches any."""
    unknown = set(spec) - FILE_KEYS
    assert not unknown, f"{where}: unknown keys {sorted(unknown)} (known: {sorted(FILE_KEYS)})"
    text = Path(path).read_text(encoding="utf-8")
    for pattern in spec.get("regex", []):
        assert re.search(pattern, text, re.MULTILINE), f"{where}: no line matches {pattern!r} in\n{text}"
    for pattern in spec.get("not_regex", []):
        assert not re.search(pattern, text, re.MULTILINE), f"{where}: a line matches {pattern!r} in\n{text}"


def check_results(results: dict[str, Any], expected: dict[str, Any], places: Places) -> None:
    for key, spec in expected.items():
        assert key in results, f"no result {key} (results: {sorted(results)})"
        kind = spec.get("type") if isinstance(spec, dict) else None
        if kind == "vector":
            check_vector(as_layer(results[key], key), spec, places, key)
        elif kind == "file":
            check_file(results[key], spec, key)
        else:
            check_value(results[key], spec, key)


# ---------------------------------------------------------------------------------------------------------
# The tests


@pytest.fixture
def clean_project(qgis_new_project: None) -> Iterator[None]:
    """The current project starts empty and is left empty (cases may give it a store and sources)."""
    yield
    QgsProject.instance().clear()


@pytest.mark.parametrize("path", case_files(), ids=lambda p: p.stem)
def test_algorithm_case(path: Path, provider, clean_project, tmp_path: Path) -> None:
    case = load(path)
    places = Places(tmp_path)
    algorithm = case["algorithm"] if ":" in case["algorithm"] else f"{provider.id()}:{case['algorithm']}"
    assert provider.algorithm(algorithm.split(":", 1)[1]) is not None, f"{path.name}: no algorithm {algorithm}"
    if "project" in case:
        set_up_project(case["project"], places)
    params = {name: places.value(value) for name, value in case["params"].items()}
    if "error" in case:
        with pytest.raises(QgsProcessingException, match=case["error"]):
            processing.run(algorithm, params)
        return
    check_results(processing.run(algorithm, params), case["results"], places)


def test_every_algorithm_has_a_case(provider) -> None:
    covered = {load(p)["algorithm"].split(":")[-1] for p in case_files()}
    assert {a.name() for a in provider.algorithms()} - covered == set()
