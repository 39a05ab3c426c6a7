"""GeoJSON read as it arrives: the same features as parsing the whole text, whatever the chunks; a document cut
off keeps the features before the cut and says where; reading a large one holds a chunk, not the document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from situation_room_plugin.core.geojson import CHUNK, FeedError, read_geojson, read_geojson_chunks
from tests.unit.test_geojson import point, read_all_at_once
from tests.unit.test_hostile_input import run_isolated


def in_chunks(data: bytes, size: int):
    return lambda: (data[i:i + size] for i in range(0, len(data), size))


def works(count: int, first: int = 0) -> list[dict]:
    return [point(11.08 + (i % 100) * 0.0004, 43.87 + (i // 100) * 0.0004, id=f"PA-{i:05d}",
                  Oggetto=f"Rete idrica, intervento {i} in via Santa Trinità", Note="città, l’acqua è chiusa €")
            for i in range(first, first + count)]


def write_feed(path: Path, count: int, **members) -> Path:
    """A FeatureCollection written as GDAL writes one: a feature a line."""
    head = json.dumps({"type": "FeatureCollection", **members})[:-1]
    with path.open("w", encoding="utf-8") as out:
        out.write(head + ', "features": [\n')
        out.write(",\n".join(json.dumps(f, ensure_ascii=False) for f in works(count)))
        out.write("\n]}\n")
    return path


def file_chunks(path: Path):
    def chunks():
        with path.open("rb") as file:
            while chunk := file.read(CHUNK):
                yield chunk
    return chunks


def same_records(records, expected) -> None:
    assert [(r.fid, r.properties, r.problems) for r in records] == [(r.fid, r.properties, r.problems) for r in expected]
    assert [None if r.geometry is None else r.geometry.wkt for r in records] == [
        None if r.geometry is None else r.geometry.wkt for r in expected]


@pytest.mark.parametrize("size", [1, 3, 7, 64])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32"])
def test_a_document_in_small_chunks_gives_what_json_loads_gives(size, encoding):
    gauss_boaga = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3003"}}
    nested = {"type": "Feature", "id": "nested", "geometry": None,
              "properties": {"features": [1, 2], "crs": "in a property", "n": 12345678901234}}
    features = [*works(4), nested, 7]
    documents = [
        json.dumps({"type": "FeatureCollection", "crs": gauss_boaga, "totalFeatures": 123456, "features": features,
                    "numberMatched": 1234567}, ensure_ascii=False),
        json.dumps({"type": "FeatureCollection", "features": features[:4], "crs": gauss_boaga}),  # CRS after
        json.dumps({"features": features, "type": "FeatureCollection"}),  # type after: parsed whole
        json.dumps({"type": "FeatureCollection", "features": features}, indent=2, ensure_ascii=False),
        json.dumps({"type": "FeatureCollection", "features": []}),
    ]
    for text in documents:
        document = read_geojson_chunks(in_chunks(text.encode(encoding), size), "feed")
        records = [r for batch in document.batches(2) for r in batch]
        crs, expected = read_all_at_once(text)
        assert document.crs == crs
        same_records(records, expected)
        assert document.problems == []


def test_a_large_file_cut_off_keeps_the_features_before_the_cut_and_says_where_it_ends(tmp_path):
    whole = write_feed(tmp_path / "whole.geojson", 18_000, name="cantieri")  # about 4 MB: several chunks
    data = whole.read_bytes()
    assert len(data) > 3 * CHUNK
    kept = 12_612  # the features before the one being read at the cut, about 70% of the file
    cut = data.index(b'"id": "PA-12612"') + 30
    (tmp_path / "cut.geojson").write_bytes(data[:cut])
    document = read_geojson_chunks(file_chunks(tmp_path / "cut.geojson"), "publiacqua", keep_cut=True)
    records = [r for batch in document.batches(1000) for r in batch]
    assert [r.fid for r in records] == [f"PA-{i:05d}" for i in range(kept)]
    _, expected = read_all_at_once(whole.read_text(encoding="utf-8"))
    same_records(records, expected[:kept])
    [problem] = document.problems
    assert problem.code == "truncated_json" and problem.record == "publiacqua"
    assert f"byte {cut}" in problem.message and f"after feature {kept}" in problem.message
    assert "cut off" in problem.message
    # without keep_cut (a WFS page) the cut is an error, after the same features
    document = read_geojson_chunks(file_chunks(tmp_path / "cut.geojson"), "publiacqua")
    batches = document.batches(1000)
    assert sum(len(batch) for batch in (next(batches), next(batches))) == 2000
    with pytest.raises(FeedError) as caught:
        list(batches)
    assert caught.value.problem.code == "truncated_json"


def test_a_document_in_memory_cut_off_keeps_its_features_too():
    text = json.dumps({"type": "FeatureCollection", "features": works(5)})
    cut = text.encode()[: text.encode().index(b"PA-00003") + 40]
    document = read_geojson(cut, "feed", keep_cut=True)
    assert [r.fid for batch in document.batches(2) for r in batch] == ["PA-00000", "PA-00001", "PA-00002"]
    assert [p.code for p in document.problems] == ["truncated_json"]


@pytest.mark.parametrize(("good", "bad"), [(b'"id": "PA-04000"', b'"id": PA-04000'),
                                           (b'"coordinates": [', b'"coordinates": [{'),
                                           (b'"coordinates": [', b'"coordinates": [[')])
def test_a_document_broken_in_the_middle_of_a_large_file_is_refused_saying_where(tmp_path, good, bad):
    data = write_feed(tmp_path / "whole.geojson", 6000).read_bytes()
    middle = data.index(good, data.index(b'"id": "PA-04000"') - 10)
    broken = data[:middle] + bad + data[middle + len(good):]
    document = read_geojson(broken, "feed", keep_cut=True)
    batches = document.batches(1000)
    assert sum(len(next(batches)) for _ in range(4)) == 4000  # the features before the break are read
    with pytest.raises(FeedError) as caught:
        list(batches)
    with pytest.raises(json.JSONDecodeError) as reference:
        json.loads(broken)
    assert caught.value.problem.code == "bad_json"
    assert f"(line {reference.value.lineno}, column {reference.value.colno})" in caught.value.problem.message


def test_a_feed_not_utf8_after_its_first_chunk_is_read_as_windows_1252_from_the_odd_byte(tmp_path):
    data = write_feed(tmp_path / "whole.geojson", 6000).read_bytes()
    odd = data.index(b"PA-05000")
    data = data[:odd] + b"\xe8" + data[odd + 1:]  # è in Windows-1252, in place of the P
    document = read_geojson(data, "feed", keep_cut=True)
    records = [r for batch in document.batches(1000) for r in batch]
    assert len(records) == 6000 and records[5000].fid == "èA-05000"
    assert records[4999].properties["Oggetto"].endswith("Santa Trinità")  # read as UTF-8 before the odd byte
    [problem] = document.problems
    assert (problem.code, problem.params) == ("read_as_cp1252", {"offset": odd, "byte": "0xE8"})


def test_reading_a_50_mb_document_holds_a_chunk_and_a_batch_not_the_document(tmp_path):
    path = write_feed(tmp_path / "large.geojson", 230_000)  # about 50 MB
    size_mb = path.stat().st_size / 2**20
    assert size_mb > 45
    found = run_isolated(f"""
        import json

        def peak_mb():  # VmHWM: ru_maxrss would count the test process this one was forked from
            with open("/proc/self/status") as status:
                return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmHWM:"))
        from situation_room_plugin.core.geojson import read_geojson_chunks
        from tests.unit.test_large_feeds import file_chunks, works
        from pathlib import Path
        small = b'{{"type": "FeatureCollection", "features": [' + json.dumps(works(3)[0]).encode() + b']}}'
        assert len(list(read_geojson_chunks(lambda: [small], "feed").batches(10))) == 1  # the imports warmed
        before = peak_mb()
        document = read_geojson_chunks(file_chunks(Path({str(path)!r})), "feed")
        count = 0
        for batch in document.batches(2000):
            count += len(batch)
        peak = peak_mb()
        print(json.dumps({{"count": count, "before": before, "peak": peak}}))
    """, memory_mb=3000)
    assert found["count"] == 230_000
    assert found["peak"] < 300  # MB, the whole process
    assert found["peak"] - found["before"] < size_mb / 2  # a chunk and a batch, not the document


@pytest.mark.parametrize("first_note", [10, 3 * CHUNK // 2])
def test_a_crs_named_after_megabytes_of_features_is_still_honoured(first_note):
    gauss_boaga = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3003"}}
    features = [point(1668000 + i, 4861000, id=f"f{i}", note="x" * (first_note if i == 0 else 100))
                for i in range(30_000)]
    text = json.dumps({"type": "FeatureCollection", "features": features, "crs": gauss_boaga})
    document = read_geojson_chunks(in_chunks(text.encode(), CHUNK), "feed")
    assert document.crs == "EPSG:3003"
    records = [r for batch in document.batches(5000) for r in batch]
    assert len(records) == 30_000 and records[-1].fid == "f29999" and records[0].geometry.x == 1668000


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_a_document_cut_inside_a_character_is_only_said_to_be_cut(bom):
    data = bom + json.dumps({"type": "FeatureCollection", "features": works(3)}, ensure_ascii=False).encode()
    cut = data[: data.rindex("Trinità".encode()) + len(b"Trinit") + 1]  # half of the à
    document = read_geojson(cut, "feed", keep_cut=True)
    assert [r.fid for batch in document.batches(10) for r in batch] == ["PA-00000", "PA-00001"]
    assert [p.code for p in document.problems] == ["truncated_json"]
