"""Faults on the way to the platform: an HTTP 500 before or after the server committed, a connection reset, a
timeout, the same batch delivered twice, the server killed mid-batch, the client killed before sending and
after the server committed. After each: nothing lost, nothing doubled (every revision counts exactly the
changes made), the outbox empty — checked by reading the server back with requests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import replace

import pytest

from situation_room_plugin.qgis_io.transport import TransportError
from situation_room_plugin.workflows import sync as sy
from tests.conftest import ROOT
from tests.platform.conftest import PUBLIACQUA, free_port
from tests.sync import fault_proxy as fp
from tests.sync.conftest import platform_source, start
from tests.sync.helpers import add, assert_converged, edit, new_work, outbox, server_works, works

UNCLEAR = [fp.ERROR_BEFORE, fp.ERROR_AFTER, fp.RESET_AFTER, fp.SILENT_AFTER, fp.TWICE]


def expect_on_server(wfs_url, revisions):
    on_server = server_works(wfs_url)
    assert {uid: on_server[uid]["revision"] for uid in revisions} == revisions
    return on_server


@pytest.mark.parametrize("fault", UNCLEAR)
def test_an_unclear_answer_is_settled_by_reading_the_works_back(platform, authcfgs, tmp_path, fault):
    store = tmp_path / "publiacqua.gpkg"
    created = [new_work(i) for i in range(5)]
    add(store, created, "anna", "publiacqua")
    with fp.FaultProxy(platform.url, silence_s=4) as proxy:
        source = replace(platform_source(f"{proxy.url}/ows/?SERVICE=WFS", authcfgs["publiacqua"]), timeout_s=2)
        proxy.faults.append(fault)
        first = sy.sync(store, source, "push")
        assert first.sent == 5 and first.refused == 0
        for work in created[:3]:
            edit(store, work.uid, "anna", title=f"{work.title} (variante)")
        proxy.faults.append(fault)
        second = sy.sync(store, source, "push")
        assert second.sent == 3 and second.refused == 0
        assert proxy.seen[0] == fault and fault in proxy.seen[1:]
    on_server = expect_on_server(platform.wfs_url, {w.uid: 2 if i < 3 else 1 for i, w in enumerate(created)})
    assert on_server[created[0].uid]["title"] == f"{created[0].title} (variante)"
    assert outbox(store) == []


def test_a_permission_refused_mid_batch_keeps_that_change_with_the_servers_words(platform, sources, tmp_path):
    theirs, ours = tmp_path / "estracom.gpkg", tmp_path / "publiacqua.gpkg"
    fibre = new_work(20, owner="estracom")
    add(theirs, [fibre], "bruno", "estracom")
    water = [new_work(21), new_work(22)]
    add(ours, water, "anna", "publiacqua")
    assert sy.sync(theirs, sources["estracom"]).sent == 1
    assert sy.sync(ours, sources["publiacqua"]).sent == 2
    for uid in (water[0].uid, fibre.uid, water[1].uid):  # the middle one is Estracom's
        edit(ours, uid, "anna", description="Verificato in sopralluogo")
    report = sy.sync(ours, sources["publiacqua"], "push")
    assert (report.sent, report.refused) == (2, 1)
    [refused] = [p for p in report.problems if p.code == "sync_refused"]
    assert refused.record == f"uid {fibre.uid}" and "permission denied" in refused.params["value"]
    [pending] = sy.pending_changes(ours)
    assert (pending.uid, pending.state) == (fibre.uid, "refused") and "permission" in pending.last_answer
    expect_on_server(platform.wfs_url, {water[0].uid: 2, water[1].uid: 2, fibre.uid: 1})
    assert server_works(platform.wfs_url)[fibre.uid]["description"] == ""
    again = sy.sync(ours, sources["publiacqua"], "push")  # refused stays refused, not resent by itself
    assert again.sent == again.refused == 0 and sy.pending_changes(ours) == [pending]
    assert sy.retry_refused(ours) == 1  # asked to try again: sent, and refused again with the same words
    retried = sy.sync(ours, sources["publiacqua"], "push")
    assert (retried.sent, retried.refused) == (0, 1) and sy.pending_changes(ours)[0].state == "refused"


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["gpkg", "postgis"])
def test_the_server_killed_mid_batch_loses_and_doubles_nothing(qgis_app, sync_access_file, authcfgs, tmp_path,
                                                               kind):
    folder, port = tmp_path / "platform", free_port()
    store = tmp_path / "publiacqua.gpkg"
    created = [new_work(i) for i in range(450)]
    add(store, created, "anna", "publiacqua")
    running, pg_folder = start(kind, qgis_app, folder, sync_access_file, port)
    with running as started:
        with fp.FaultProxy(started.url, on_kill=started.process.kill, kill_after_s=0.4) as proxy:
            proxy.faults.append(fp.KILL_DURING)
            with pytest.raises(TransportError):
                sy.sync(store, platform_source(f"{proxy.url}/ows/?SERVICE=WFS", authcfgs["publiacqua"]), "push")
    assert [state for _, _, state in outbox(store)].count("in_flight") == 200  # the batch's fate is unknown
    running, _ = start(kind, qgis_app, folder, sync_access_file, port, pg_folder)
    try:
        with running as started:
            report = sy.sync(store, platform_source(started.wfs_url, authcfgs["publiacqua"]))
            assert report.refused == 0
            expect_on_server(started.wfs_url, {w.uid: 1 for w in created})
            assert_converged(started.wfs_url, store)
    finally:
        if pg_folder is not None:
            shutil.rmtree(pg_folder, ignore_errors=True)


@pytest.mark.slow
@pytest.mark.parametrize("point", ["before_send", "after_commit"])
def test_a_client_killed_during_a_push_settles_at_the_next_sync(platform, authcfgs, tmp_path, point):
    store = tmp_path / "publiacqua.gpkg"
    created = [new_work(i) for i in range(3)]
    add(store, created, "anna", "publiacqua")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QGIS_CUSTOM_CONFIG_PATH": str(tmp_path / "profile"),
           "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")])}
    worker = subprocess.run([sys.executable, "-m", "tests.sync.kill_worker", str(store), platform.wfs_url,
                             *PUBLIACQUA, point], cwd=ROOT, env=env, capture_output=True, timeout=120)
    assert worker.returncode == -9, worker.stderr.decode()[-2000:]
    assert [state for _, _, state in outbox(store)] == ["in_flight"] * 3
    landed = {uid for uid, r in server_works(platform.wfs_url).items() if uid in {w.uid for w in created}}
    assert landed == (set() if point == "before_send" else {w.uid for w in created})
    report = sy.sync(store, platform_source(platform.wfs_url, authcfgs["publiacqua"]), "push")
    assert report.sent == 3 and report.refused == 0
    expect_on_server(platform.wfs_url, {w.uid: 1 for w in created})
    assert outbox(store) == []


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:QgsVectorLayer.setExcludeAttributesWfs")  # QGIS 3.22's only way to say it
def test_a_field_the_server_does_not_take_is_reported_and_kept_here(qgis_app, sync_access_file, authcfgs, tmp_path):
    from qgis.core import QgsProject

    from tests.platform.conftest import server

    folder = tmp_path / "platform"
    folder.mkdir()
    _, project_path = server.prepare_geopackage(folder)
    project = QgsProject()
    assert project.read(str(project_path))
    [layer] = project.mapLayersByName("works")
    layer.setExcludeAttributesWfs({"contact"})  # a platform whose works layer does not publish that field
    assert project.write(str(project_path))
    process, log = server.start_mapserver(project_path, folder, free_port(), sync_access_file)
    url = f"http://127.0.0.1:{process.args[-1].rsplit(':', 1)[1]}"
    try:
        server.wait_until_up(f"{url}/ows/?SERVICE=WFS&REQUEST=GetCapabilities", process, log)
        store = tmp_path / "publiacqua.gpkg"
        work = new_work(60)
        add(store, [work], "anna", "publiacqua")
        source = platform_source(f"{url}/ows/?SERVICE=WFS", authcfgs["publiacqua"])
        assert sy.sync(store, source, "push").sent == 1
        edit(store, work.uid, "anna", contact="Ufficio reti, 0574 000000", title="Rete idrica 60, bis")
        report = sy.sync(store, source, "push")
        [dropped] = [p for p in report.problems if p.code == "sync_refused"]
        assert dropped.severity.value == "warning" and "contact" in dropped.params["value"]
        assert works(store)[work.uid].contact == "Ufficio reti, 0574 000000"  # not lost here
        assert server_works(f"{url}/ows/?SERVICE=WFS")[work.uid]["title"] == "Rete idrica 60, bis"
    finally:
        process.terminate()
        process.wait(10)


def test_offline_the_changes_wait_in_the_outbox_and_go_when_the_platform_is_back(platform, authcfgs, tmp_path):
    store = tmp_path / "publiacqua.gpkg"
    created = [new_work(80 + i) for i in range(3)]
    add(store, created, "anna", "publiacqua")
    nowhere = platform_source(f"http://127.0.0.1:{free_port()}/ows/?SERVICE=WFS", authcfgs["publiacqua"])
    with pytest.raises(TransportError):
        sy.sync(store, nowhere)
    assert {uid for uid, _, _ in outbox(store)} == {w.uid for w in created}  # kept, whatever their state
    report = sy.sync(store, platform_source(platform.wfs_url, authcfgs["publiacqua"]))
    assert report.sent == 3 and outbox(store) == []
    expect_on_server(platform.wfs_url, {w.uid: 1 for w in created})
