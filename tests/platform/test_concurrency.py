"""Two QGIS Server processes on one platform database (what PostGIS is for: many processes, many users), each
sent an update of the same work on the same base revision at the same time: at most one of each pair applies,
and the revisions count exactly the updates that did — no update is lost or applied on a stale base."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

from situation_room_platform import server

from tests.platform.conftest import COMUNE, PUBLIACQUA
from tests.platform.wfst import features, insert, transaction, update

ROUNDS = 12


def test_two_server_processes_never_apply_two_updates_on_one_base_revision(platform, access_file, tmp_path):
    process, log = server.start_mapserver(platform.project, tmp_path, server.free_port(), access_file)
    second = f"http://127.0.0.1:{process.args[-1].rsplit(':', 1)[1]}/ows/"
    first = f"{platform.url}/ows/"
    try:
        server.wait_until_up(f"{second}?SERVICE=WFS&REQUEST=GetCapabilities", process, log)
        uid = str(uuid.uuid4())
        assert transaction(first, insert("works", {"uid": uid, "title": "0", "owner": "publiacqua"}),
                           auth=PUBLIACQUA).total("Inserted") == 1
        applied, revision = 0, 1
        with ThreadPoolExecutor(2) as pool:
            for round_ in range(ROUNDS):
                titles = (f"{round_}-publiacqua", f"{round_}-comune")
                requests = [pool.submit(transaction, url, update("works", "uid", uid, revision,
                                                                  {"title": title, "revision": revision + 1}),
                                        auth=auth)
                            for url, title, auth in ((first, titles[0], PUBLIACQUA), (second, titles[1], COMUNE))]
                answers = [request.result() for request in requests]
                won = [title for title, answer in zip(titles, answers) if answer.total("Updated") == 1]
                assert len(won) <= 1, [a.text for a in answers]
                record = features(first, "works", COMUNE)[uid]
                if won:
                    applied += 1
                    revision += 1
                    assert record["title"] == won[0]
                assert record["revision"] == revision == 1 + applied
        assert applied >= ROUNDS // 2, f"only {applied} of {ROUNDS} rounds applied an update"
    finally:
        process.terminate()
        process.wait(20)
