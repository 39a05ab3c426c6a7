"""GML GetFeature answers read by the streaming parser: axis order by the way the CRS is named, GML 2, 3.1 and
3.2 geometries, attribute types from the schema, and answers that are refused (DTDs) or that refuse; the
output format chosen from what a server offers, and the GetFeature address."""

from __future__ import annotations

import pytest

from situation_room_plugin.core.sources import Source
from situation_room_plugin.qgis_io import wfs

SOURCE = Source("comune_wfs", "Cantieri", "comune", "wfs", "http://127.0.0.1:1/ows", layer="cantieri")


def layer(srs: str = "EPSG:6707") -> wfs.Layer:
    return wfs.Layer(SOURCE, "1.1.0", "cantieri", SOURCE.url, srs)


def read(body: str, schema: dict[str, str] | None = None, srs: str = "EPSG:6707"):
    page = wfs._gml_page(body.encode(), layer(srs), 0, 1000, schema or {})
    return page.crs, [record for batch in page.batches for record in batch]


GML31 = """<?xml version="1.0" encoding="UTF-8"?>
<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs" xmlns:gml="http://www.opengis.net/gml"
    xmlns:c="http://example.org/c" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <gml:featureMember>
  <c:cantieri gml:id="cantieri.7">
   <gml:boundedBy><gml:Envelope srsName="{srs}"><gml:lowerCorner>0 0</gml:lowerCorner>
     <gml:upperCorner>1 1</gml:upperCorner></gml:Envelope></gml:boundedBy>
   <c:geom><gml:MultiSurface srsName="{srs}"><gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing>
     <gml:posList srsDimension="2">{ring}</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>
   </gml:surfaceMember></gml:MultiSurface></c:geom>
   <c:codice>PA-7</c:codice><c:lotti>3</c:lotti><c:nota xsi:nil="true"/>
  </c:cantieri>
 </gml:featureMember>
</wfs:FeatureCollection>"""


def test_a_crs_named_by_urn_is_read_latitude_first_and_epsg_n_easting_first():
    lat_first = "43.85 11.04 43.85 11.05 43.86 11.05 43.85 11.04"
    crs, [record] = read(GML31.format(srs="urn:ogc:def:crs:EPSG::4326", ring=lat_first))
    assert crs == "EPSG:4326" and record.geometry.bounds == (11.04, 43.85, 11.05, 43.86)
    x_first = "664000 4858000 664012 4858000 664012 4858008 664000 4858000"
    crs, [record] = read(GML31.format(srs="EPSG:6707", ring=x_first))
    assert crs == "EPSG:6707" and record.geometry.bounds == (664000, 4858000, 664012, 4858008)
    assert record.fid == "cantieri.7" and record.problems == []


def test_attributes_take_the_types_of_the_layer_schema_and_nil_is_none():
    ring = "0 0 1 0 1 1 0 0"
    _crs, [record] = read(GML31.format(srs="EPSG:6707", ring=ring), {"lotti": "int", "codice": "string"})
    assert record.properties == {"codice": "PA-7", "lotti": 3, "nota": None}
    _crs, [untyped] = read(GML31.format(srs="EPSG:6707", ring=ring))
    assert untyped.properties["lotti"] == "3"  # without a schema the text as it is


GML32 = """<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:gml="http://www.opengis.net/gml/3.2"
    xmlns:c="http://example.org/c">
 <wfs:member><c:cantieri gml:id="c.1"><c:fid>1</c:fid><c:geom>
  <gml:Polygon srsName="http://www.opengis.net/def/crs/EPSG/0/6707"><gml:exterior><gml:LinearRing>
   <gml:posList>0 0 10 0 10 10 0 10 0 0</gml:posList></gml:LinearRing></gml:exterior>
   <gml:interior><gml:LinearRing><gml:pos>2 2</gml:pos><gml:pos>2 4</gml:pos><gml:pos>4 4</gml:pos>
    <gml:pos>2 2</gml:pos></gml:LinearRing></gml:interior></gml:Polygon></c:geom></c:cantieri></wfs:member>
 <wfs:member><c:cantieri gml:id="c.2"><c:fid>2</c:fid><c:geom><gml:Curve srsName="EPSG:6707"><gml:segments>
  <gml:LineStringSegment><gml:posList>0 0 5 5</gml:posList></gml:LineStringSegment></gml:segments>
  </gml:Curve></c:geom></c:cantieri></wfs:member>
 <wfs:member><c:cantieri gml:id="c.3"><c:fid>3</c:fid><c:geom><gml:Tin srsName="EPSG:6707"/></c:geom>
 </c:cantieri></wfs:member>
</wfs:FeatureCollection>"""


def test_gml_32_members_holes_curves_and_an_unknown_geometry_named_on_its_feature():
    crs, records = read(GML32)
    assert crs == "EPSG:6707"
    # a fid attribute names the feature as QGIS's provider names it; EPSG 6707 by URI is northing first
    assert [r.fid for r in records] == ["1", "2", "3"]
    polygon, curve, unknown = (r.geometry for r in records)
    assert polygon.geom_type == "Polygon" and len(polygon.interiors) == 1
    assert polygon.bounds == (0, 0, 10, 10) and polygon.area == pytest.approx(100 - 2)
    assert curve.wkt == "LINESTRING (0 0, 5 5)"
    assert unknown is None and records[2].problems[0][1] == "geometry_unreadable"
    assert "GML Tin is not read" in records[2].problems[0][3]["value"]


GML2 = """<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs" xmlns:gml="http://www.opengis.net/gml"
    xmlns:c="http://example.org/c">
 <gml:featureMember><c:cantieri fid="cantieri.4"><c:geom>
  <gml:MultiPolygon srsName="http://www.opengis.net/gml/srs/epsg.xml#6707"><gml:polygonMember><gml:Polygon>
   <gml:outerBoundaryIs><gml:LinearRing><gml:coordinates cs="," ts=" ">664090,4858000 664102,4858000
    664102,4858008 664090,4858000</gml:coordinates></gml:LinearRing></gml:outerBoundaryIs></gml:Polygon>
  </gml:polygonMember></gml:MultiPolygon></c:geom><c:Tipo_intervento>Scavo</c:Tipo_intervento></c:cantieri>
 </gml:featureMember>
</wfs:FeatureCollection>"""


def test_gml_2_coordinates_are_read_as_written():
    crs, [record] = read(GML2)
    assert crs == "EPSG:6707" and record.fid == "cantieri.4"
    assert record.geometry.geom_type == "MultiPolygon"
    assert record.geometry.bounds == (664090, 4858000, 664102, 4858008)
    assert record.properties == {"Tipo_intervento": "Scavo"}


LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs"><c>&lol1;</c></wfs:FeatureCollection>"""


def test_an_answer_with_a_dtd_is_refused_before_it_is_parsed():
    with pytest.raises(wfs.LayerError) as refused:
        read(LAUGHS)
    assert "declares a DTD" in refused.value.problem.message
    with pytest.raises(wfs.WfsUnusableError, match="declares a DTD"):
        wfs.parse_xml(LAUGHS.encode(), "the GetCapabilities answer")


def test_an_exception_report_and_a_cut_off_answer_are_named():
    report = """<ServiceExceptionReport xmlns="http://www.opengis.net/ogc" version="1.2.0">
     <ServiceException code="RequestNotWellFormed">TypeName 'x' could not be found</ServiceException>
    </ServiceExceptionReport>"""
    with pytest.raises(wfs.LayerError, match="the server says TypeName 'x' could not be found"):
        read(report)
    with pytest.raises(wfs.LayerError, match="not well-formed") as broken:
        read(GML2[: len(GML2) // 2])
    assert "cantieri" in broken.value.problem.message and "GetFeature from feature 1" in broken.value.problem.message


def test_the_formats_a_server_offers_are_chosen_geojson_first_then_the_newest_gml():
    geoserver = wfs.Layer(SOURCE, "2.0.0", "topp:cantieri", SOURCE.url, "EPSG:6707", formats=[
        "application/gml+xml; version=3.2", "GML2", "KML", "SHAPE-ZIP", "application/json", "csv",
        "text/xml; subtype=gml/3.1.1", "json"])
    assert geoserver.geojson_format() == "application/json"
    assert geoserver.gml_format() == "application/gml+xml; version=3.2"
    qgis_server_10 = wfs.Layer(SOURCE, "1.0.0", "cantieri", SOURCE.url, "EPSG:6707",
                               formats=["GML2", "GML3", "GeoJSON"])
    assert qgis_server_10.geojson_format() == "GeoJSON" and qgis_server_10.gml_format() == "GML3"
    assert wfs.Layer(SOURCE, "1.1.0", "c", SOURCE.url, "EPSG:6707", formats=["text/xml"]).geojson_format() == ""


def test_a_getfeature_address_keeps_the_services_own_parameters_and_replaces_ours_whatever_their_case():
    layer = wfs.Layer(SOURCE, "2.0.0", "ms:cantieri", "https://gis.example.it/cgi?map=/srv/pa.map&service=wms",
                      "EPSG:6707")
    url = layer.query(STARTINDEX=200, COUNT=100)
    assert url.startswith("https://gis.example.it/cgi?map=%2Fsrv%2Fpa.map&SERVICE=WFS&VERSION=2.0.0")
    assert "service=wms" not in url and "TYPENAMES=ms%3Acantieri" in url and "STARTINDEX=200&COUNT=100" in url
