"""situation_room:validate_works through processing.run on real files, as a technician would run it."""

from __future__ import annotations

import processing
import pytest
from qgis.core import QgsCoordinateReferenceSystem, QgsVectorLayer

from tests.qgis.conftest import feature, square_lonlat, write_geojson

GOOD = {
    "uid": "1b4e28ba-2fa1-11d2-883f-0016d3cca427",
    "title": "Allaccio gas via Pistoiese",
    "owner": "toscana_energia",
    "work_type": "new_connection",
    "status": "planned",
    "start_date": "2026-04-01",
    "end_date": "2026-04-03",
    "traffic_impact": "alternating-one-way",
}


@pytest.fixture
def works_file(tmp_path):
    features = [
        feature(square_lonlat(11.0960, 43.8800), **GOOD),
        # end before start, unknown owner, bad enum: three problems of one record
        feature(square_lonlat(11.0970, 43.8810), **{**GOOD, "uid": None, "title": "Fibra via Roma",
                                                   "owner": "telecom", "start_date": "2026-05-10",
                                                   "end_date": "2026-05-01", "traffic_impact": "closed"}),
        # latitude and longitude swapped
        feature(square_lonlat(43.8800, 11.0960), **{**GOOD, "uid": None, "title": "Scambiata"}),
        # a bow-tie footprint: repaired and kept
        feature({"type": "Polygon", "coordinates": [[[11.10, 43.88], [11.1002, 43.8802], [11.1002, 43.88],
                                                     [11.10, 43.8802], [11.10, 43.88]]]},
                **{**GOOD, "uid": "2c1e28ba-2fa1-11d2-883f-0016d3cca427", "title": "Farfalla"}),
        feature(None, **{**GOOD, "uid": None, "title": "Senza geometria"}),
    ]
    return write_geojson(tmp_path / "works.geojson", features)


def test_valid_works_come_out_in_the_schema_and_in_epsg_6707(provider, works_file):
    result = processing.run(
        "situation_room:validate_works",
        {"INPUT": str(works_file), "OUTPUT": "memory:", "REPORT": "memory:"},
    )
    output: QgsVectorLayer = result["OUTPUT"]
    assert output.crs() == QgsCoordinateReferenceSystem("EPSG:6707")
    titles = sorted(f["title"] for f in output.getFeatures())
    assert titles == ["Allaccio gas via Pistoiese", "Farfalla"]
    first = next(f for f in output.getFeatures() if f["title"] == "Allaccio gas via Pistoiese")
    assert first["owner"] == "toscana_energia" and first["excavation"] is True
    x = first.geometry().centroid().asPoint().x()
    assert 660_000 < x < 675_000  # Prato, in metres of UTM 32N
    assert result["VALID_COUNT"] == 2 and result["INVALID_COUNT"] == 3


def test_the_report_names_every_record_and_every_problem(provider, works_file):
    result = processing.run(
        "situation_room:validate_works",
        {"INPUT": str(works_file), "OUTPUT": "memory:", "REPORT": "memory:"},
    )
    rows = [(f["record"], f["code"], f["severity"], f["message"]) for f in result["REPORT"].getFeatures()]
    fibra = [r for r in rows if "Fibra via Roma" in r[0]]
    assert sorted(r[1] for r in fibra) == ["end_before_start", "uid_assigned", "unknown_owner", "unknown_value"]
    assert any("telecom" in r[3] for r in fibra)
    assert any(r[1] == "swapped_coordinates" and "Scambiata" in r[0] and "swapped" in r[3] for r in rows)
    assert any(r[1] == "geometry_repaired" and r[2] == "warning" and "Farfalla" in r[0] for r in rows)
    assert any(r[1] == "missing_geometry" and "Senza geometria" in r[0] for r in rows)


def test_a_layer_in_gauss_boaga_is_transformed(provider, tmp_path):
    from qgis.core import QgsFeature, QgsGeometry, QgsProject

    layer = QgsVectorLayer("Polygon?crs=EPSG:3003&field=uid:string&field=title:string&field=owner:string"
                           "&field=work_type:string&field=start_date:date&field=end_date:date", "gb", "memory")
    f = QgsFeature(layer.fields())
    f.setAttributes([GOOD["uid"], "Gauss-Boaga", "comune", "resurfacing", "2026-06-01", "2026-06-02"])
    f.setGeometry(QgsGeometry.fromWkt("POLYGON((1668000 4861000, 1668020 4861000, 1668020 4861020, "
                                      "1668000 4861020, 1668000 4861000))"))
    layer.dataProvider().addFeatures([f])
    QgsProject.instance().addMapLayer(layer)
    try:
        result = processing.run("situation_room:validate_works", {"INPUT": layer, "OUTPUT": "memory:"})
    finally:
        QgsProject.instance().removeMapLayer(layer)
    out = next(result["OUTPUT"].getFeatures())
    assert out["start_date"].toPyDate().isoformat() == "2026-06-01"
    box = out.geometry().boundingBox()
    # Gauss-Boaga Fuso Ovest is shifted by 1,000 km east of UTM 32 and about 60 m apart in datum
    assert 667_900 < box.xMinimum() < 668_000 and 4_860_900 < box.yMinimum() < 4_861_000
