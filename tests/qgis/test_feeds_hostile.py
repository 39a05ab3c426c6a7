"""Hostile XML from a WFS: QGIS's WFS provider must neither expand entities without end (billion laughs) nor
read local files through external entities, and must not hang or crash. Each case runs in a child process
with a time limit, so that a failure shows as a failed test and not as a stuck suite."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.servers.processes import feed_server

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<wfs:WFS_Capabilities version="1.1.0" xmlns:wfs="http://www.opengis.net/wfs">
 <FeatureTypeList><FeatureType><Name>cantieri</Name><Title>&lol9;</Title></FeatureType></FeatureTypeList>
</wfs:WFS_Capabilities>
"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE caps [ <!ENTITY secret SYSTEM "file://{secret}"> ]>
<wfs:WFS_Capabilities version="1.1.0" xmlns:wfs="http://www.opengis.net/wfs">
 <FeatureTypeList><FeatureType><Name>&secret;</Name><Title>&secret;</Title></FeatureType></FeatureTypeList>
</wfs:WFS_Capabilities>
"""

CHILD = textwrap.dedent("""
    import json, resource, sys
    sys.path.insert(0, {root!r})
    from qgis.core import QgsApplication
    app = QgsApplication([], False)
    app.initQgis()
    from situation_room_plugin.core.sources import Source
    from situation_room_plugin.qgis_io import sources as feeds
    source = Source("hostile", "Hostile", "comune", "wfs", {url!r}, layer={layer!r}, version="1.1.0")
    try:
        feed = feeds.read_source(source)
        outcome = {{"records": len(feed.records), "names": [str(r.properties) for r in feed.records]}}
    except feeds.SourceUnavailableError as error:
        outcome = {{"code": error.problem.code, "message": error.problem.message}}
    outcome["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(outcome))
""")


def run_child(url: str, layer: str, workdir: Path) -> dict:
    script = workdir / "child.py"
    script.write_text(CHILD.format(root=str(ROOT), url=url, layer=layer))
    env = {"QT_QPA_PLATFORM": "offscreen", "QGIS_CUSTOM_CONFIG_PATH": str(workdir / "profile"),
           "PATH": "/usr/bin:/bin", "HOME": str(workdir)}
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=180, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    line = next(x for x in proc.stdout.splitlines() if x.startswith("RESULT "))
    return json.loads(line[len("RESULT "):])


@pytest.fixture
def hostile_dir(tmp_path: Path) -> Path:
    www = tmp_path / "www"
    www.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("password-of-the-field-office")
    (www / "laughs.xml").write_text(LAUGHS)
    (www / "xxe.xml").write_text(XXE.format(secret=secret))
    return www


def test_a_billion_laughs_capabilities_neither_hangs_nor_crashes_qgis(hostile_dir, tmp_path):
    with feed_server(hostile_dir, tmp_path) as server:
        outcome = run_child(server.url("files/laughs.xml"), "cantieri", tmp_path)
    assert outcome.get("code") == "layer_unreadable", outcome
    assert "lollollol" not in outcome["message"] and "too large" in outcome["message"]  # Qt refuses to expand
    assert outcome["peak_mb"] < 1500  # no gigabytes of expanded text


def test_an_external_entity_does_not_read_a_local_file(hostile_dir, tmp_path):
    with feed_server(hostile_dir, tmp_path) as server:
        outcome = run_child(server.url("files/xxe.xml"), "password-of-the-field-office", tmp_path)
    # the file's text never became the feature type's name: the entity was not resolved
    assert outcome.get("code") == "layer_unreadable", outcome
    assert "Could not find typename" in outcome["message"]
