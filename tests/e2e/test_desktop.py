"""The real QGIS desktop under Xvfb, with the installed plugin enabled: the dock opens, in English and Italian.
Screenshots are kept in tests/artifacts/ for a person to look at."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date

import pytest

from tests.e2e.conftest import ARTIFACTS, qgis_env

pytestmark = pytest.mark.e2e


def make_store(path, extra=()):
    """A store with works of every status around Prato's Piazza del Comune (and `extra` works)."""
    from situation_room_plugin.core.owners import OwnerRegistry
    from situation_room_plugin.core.works import Status, work_from_record
    from situation_room_plugin.qgis_io.store import Store
    from tests.unit.factories import record, square

    works = []
    for i, status in enumerate(Status):
        for j in range(i + 1):
            rec = record(uid=None, title=f"{status.value} {j}", status=status.value)
            works.append(work_from_record(rec, square(668_000 + 45 * i, 4_861_000 + 30 * j, 25), ref="e2e",
                                          owners=OwnerRegistry())[0])
    with Store.open(path) as store:
        store.write_works([*works, *extra])
    return path


def make_sources(folder):
    """A sources file (JSON) with a GeoJSON file of 20 Publiacqua works around Prato, in Publiacqua's own field
    names, and a source whose file is missing."""
    from situation_room_plugin.core.sources import sources_to_json
    from tests.qgis.feeds_helpers import publiacqua_feature, publiacqua_source, write_collection

    feed = write_collection(folder / "publiacqua.geojson", [publiacqua_feature(i) for i in range(20)])
    sources = [publiacqua_source(str(feed), kind="geojson_file"),
               publiacqua_source(str(folder / "missing.geojson"), kind="geojson_file", id="estracom",
                                 title="Cantieri Estracom", owner="estracom")]
    path = folder / "sources.json"
    path.write_text(sources_to_json(sources), encoding="utf-8")
    return path


def run_desktop(profile, out, lang, roads=None, extra=(), **more_env):
    if shutil.which("xvfb-run") is None or shutil.which("qgis") is None:
        pytest.fail("xvfb-run and qgis are needed: `make setup` installs them")
    out.mkdir(parents=True, exist_ok=True)
    probe = ARTIFACTS.parent / "e2e" / "desktop_probe.py"
    env = qgis_env(profile, SR_PROBE_OUT=str(out), SR_STORE=str(make_store(profile / "project.gpkg", extra)),
                   SR_ROADS=str(roads or ""), SR_DAY="2026-03-10", SR_SOURCES=str(make_sources(profile)), **more_env)
    env.pop("QT_QPA_PLATFORM", None)  # a real (virtual) screen this time
    cmd = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", "qgis", "--nologo", "--noversioncheck",
           "--lang", lang, "--code", str(probe)]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=180, env=env)
    state_file = out / "state.json"
    assert state_file.exists(), f"QGIS did not run the probe (exit {result.returncode}):\n{result.stderr[-3000:]}"
    state = json.loads(state_file.read_text(encoding="utf-8"))
    assert state["errors"] == [], "\n".join(state["errors"])
    return state


@pytest.mark.parametrize(
    ("lang", "tab", "group", "button"),
    [
        ("en", ["Works", "Conflicts", "Detours", "Shared layers", "Reports", "Sync", "Alerts"], "Project store",
         "Validate a works layer…"),
        ("it", ["Cantieri", "Conflitti", "Deviazioni", "Layer condivisi", "Rapporti", "Sincronizza", "Avvisi"],
         "Archivio del progetto", "Valida un layer di cantieri…"),
    ],
)
def test_the_desktop_opens_the_dock_in_the_users_language(installed_profile, lang, tab, group, button):
    out = ARTIFACTS / f"desktop_{lang}"
    state = run_desktop(installed_profile, out, lang)
    assert state["plugin_loaded"] and state["dock_found"] and state["dock_visible"]
    assert state["action_checked"] is True
    assert state["tabs"] == tab
    assert group in state["groups"]
    assert button in state["buttons"]
    assert state["action_checked_after_close"] is False
    assert state["counts"] == {"draft": "1", "planned": "2", "authorized": "3", "in_progress": "4",
                               "completed": "5", "cancelled": "6"}
    assert state["layers_after_adding"] == [tab[0]]  # the works layer, named in the user's language
    # the works overlap their neighbours in the store: the conflicts tab lists the clashes, found in a task
    assert state["conflict_rows"] > 0
    assert (" clashes" if lang == "en" else " interferenze") in state["conflicts_summary"]
    # the Shared layers tab: a sources file imported, refreshed in a task, the good copy on the map and the
    # missing file named
    assert [row[2] for row in state["shared_rows"]] == ["publiacqua", "estracom"]
    assert state["shared_rows"][0][1].startswith("20 ")
    assert state["shared_rows"][1][1] == ("none yet" if lang == "en" else "ancora nessuna")
    assert "estracom" in state["shared_status"] and "missing.geojson" in state["shared_status"]
    copy = "Cantieri Publiacqua (copy)" if lang == "en" else "Cantieri Publiacqua (copia)"
    assert copy in state["layers_after_shared"]
    for png in ("qgis.png", "dock.png", "qgis_with_works.png", "conflicts.png", "shared_layers.png",
                "qgis_shared.png", *(f"dock_tab{i}.png" for i in range(4))):
        assert (out / png).stat().st_size > 5_000, png


def test_the_desktop_shows_the_detours_of_a_day_on_prato_roads(installed_profile, shared_data):
    import shapely.ops

    from situation_room_plugin.core.works import Work
    from tests.unit.road_helpers import prato_lines

    lines = prato_lines(shared_data)
    cimabue = lines.geometries[lines.column("osm_id").index("30353076")]
    closure = Work(title="Chiusura via Cimabue", owner="publiacqua", work_type="excavation", status="authorized",
                   start_date=date(2026, 3, 9), end_date=date(2026, 3, 12), traffic_impact="all-lanes-closed",
                   geometry=shapely.MultiPolygon([shapely.buffer(shapely.ops.substring(cimabue, 0.3, 0.7,
                                                                                       normalized=True), 4,
                                                                 cap_style="flat")]))
    out = ARTIFACTS / "desktop_detours"
    state = run_desktop(installed_profile, out, "en", roads=shared_data / "prato" / "prato_roads.gpkg",
                        extra=[closure])
    assert state["detours_status"].startswith("2026-03-10: ")
    assert not state["detours_status"].startswith("2026-03-10: 0 detours")  # Via Cimabue's closure has one
    assert "Detours 2026-03-10" in state["layers_after_detours"]
    assert (out / "detours.png").stat().st_size > 20_000


#: Works of every organisation of Prato's registry (and one it does not know) on real streets of the centre:
#: (OSM way, owner, status, traffic impact, title, start, end).
CITY_WORKS = (
    ("8102157", "comune", "in_progress", "all-lanes-closed", "Rifacimento marciapiedi via Curtatone", 3, 1, 3, 20),
    ("32763838", "publiacqua", "authorized", "some-lanes-closed", "Rete idrica via Giovanni di Gherardo", 3, 5, 3, 10),
    ("40196590", "toscana_energia", "draft", "alternating-one-way", "Allaccio gas via del Seminario", 3, 8, 3, 30),
    ("8055258", "estracom", "authorized", "all-lanes-closed", "Posa fibra via Raffaello Luti", 3, 9, 3, 12),
    ("40823673", "alia", "completed", "all-lanes-open", "Isole ecologiche via San Vincenzo", 3, 1, 3, 11),
    ("159688965", "cap", "in_progress", "some-lanes-closed", "Fermate bus via Pistoiese", 3, 2, 4, 30),
    ("36135596", "consiag", "planned", "all-lanes-closed", "Parcheggio via IV Novembre", 3, 10, 3, 14),
    ("8055448", "gestore_x", "authorized", "some-lanes-closed", "Lavori di un altro ente via Cavour", 3, 6, 3, 25),
    ("8054985", "publiacqua", "planned", "all-lanes-closed", "Fognatura via Orti del Pero", 4, 10, 4, 20),
)


def city_works(shared_data):
    """CITY_WORKS as works: footprints 8 m wide along the middle of each street."""
    import shapely.ops

    from situation_room_plugin.core.works import Work
    from tests.unit.road_helpers import prato_lines

    lines = prato_lines(shared_data)
    ids = lines.column("osm_id")
    works = []
    for way, owner, status, impact, title, m1, d1, m2, d2 in CITY_WORKS:
        line = lines.geometries[ids.index(way)]
        piece = shapely.ops.substring(line, 0.15, 0.85, normalized=True)
        works.append(Work(title=title, owner=owner, work_type="excavation", status=status,
                          start_date=date(2026, m1, d1), end_date=date(2026, m2, d2), traffic_impact=impact,
                          geometry=shapely.MultiPolygon([shapely.buffer(piece, 4, cap_style="flat")])))
    return works


@pytest.mark.parametrize("lang", ["en", "it"])
def test_the_desktop_draws_the_works_of_every_organisation_at_city_and_street_scale(installed_profile, shared_data,
                                                                                    lang):
    from situation_room_plugin.core.owners import PRATO_OWNERS

    out = ARTIFACTS / f"desktop_map_{lang}"
    state = run_desktop(installed_profile, out, lang, roads=shared_data / "prato" / "prato_roads.gpkg",
                        extra=city_works(shared_data), SR_MAP="1", SR_MAP_CENTRE="668150,4861050",
                        SR_MAP_LATER_DAY="2026-04-15")
    # the legend names the organisations; the dates drive the map: the Detours tab's day, then another
    assert {owner.name for owner in PRATO_OWNERS} <= set(state["map_legend"])
    assert ("Other organisations" if lang == "en" else "Altri enti") in state["map_legend"]
    assert ("Clash" if lang == "en" else "Interferenza") in state["map_conflicts_legend"]
    assert state["map_works_temporal"] and state["map_temporal_on"]
    assert state["map_canvas_range"] == "2026-03-10" and state["map_later_range"] == "2026-04-15"
    assert [abs(s - want) / want < 0.02 for s, want in zip(state["map_scales"], (25_000, 2_000, 25_000))] == [True] * 3
    for png in ("map_25000.png", "map_2000.png", "map_later_day_25000.png"):
        assert (out / png).stat().st_size > 20_000, png


def day_store(path, shared_data, today):
    """The Comune's store for a technician's day: a Publiacqua dig on Via Cimabue now, and a Toscana Energia
    work on Via Elio Danesi still "in progress" five days after its end date. Returns (path, Via Cimabue)."""
    from datetime import timedelta

    import shapely.ops

    from situation_room_plugin.core.works import Work
    from situation_room_plugin.qgis_io.store import Store
    from tests.unit.road_helpers import prato_lines

    lines = prato_lines(shared_data)
    ids = lines.column("osm_id")
    cimabue, danesi = (lines.geometries[ids.index(way)] for way in ("30353076", "30353661"))

    def along(line, a, b):
        return shapely.MultiPolygon([shapely.buffer(shapely.ops.substring(line, a, b, normalized=True), 4,
                                                    cap_style="flat")])

    works = [
        Work(title="Rete idrica via Cimabue", owner="publiacqua", work_type="excavation", status="in_progress",
             start_date=today - timedelta(days=3), end_date=today + timedelta(days=8), permit_ref="PG 2026/1187",
             traffic_impact="all-lanes-closed", geometry=along(cimabue, 0.2, 0.8)),
        Work(title="Allaccio gas via Elio Danesi", owner="toscana_energia", work_type="new_connection",
             status="in_progress", start_date=today - timedelta(days=20), end_date=today - timedelta(days=5),
             permit_ref="PG 2026/1020", traffic_impact="some-lanes-closed", geometry=along(danesi, 0.3, 0.6)),
    ]
    with Store.open(path) as store:
        store.write_works(works)
    return path, cimabue


@pytest.mark.parametrize("lang", ["it", "en"])
def test_a_technicians_day_draw_save_see_the_clash_step_the_days_read_the_alerts(installed_profile, shared_data,
                                                                                 lang):
    """Issue 11's "done when": from an empty QGIS, a technician draws a work on a Prato street with the mouse,
    saves it through the form, sees it coloured by organisation with its clash on the map and in the Conflicts
    tab, steps through the days with the Temporal Controller, and finds the overdue work in the alerts."""
    from datetime import timedelta

    import shapely

    today = date.today()
    store, cimabue = day_store(installed_profile / "comune.gpkg", shared_data, today)
    centre = cimabue.interpolate(0.5, normalized=True)
    line = ";".join(f"{p.x:.2f},{p.y:.2f}" for p in (cimabue.interpolate(f, normalized=True)
                                                     for f in (0.35, 0.47, 0.6)))
    out = ARTIFACTS / f"desktop_day_{lang}"
    out.mkdir(parents=True, exist_ok=True)
    title = "Posa fibra via Cimabue"
    probe = ARTIFACTS.parent / "e2e" / "desktop_day_probe.py"
    env = qgis_env(installed_profile, SR_PROBE_OUT=str(out), SR_STORE=str(store), SR_ORGANISATION="estracom",
                   SR_ROADS=str(shared_data / "prato" / "prato_roads.gpkg"), SR_STREET_XY=f"{centre.x},{centre.y}",
                   SR_LINE=line, SR_TITLE=title, SR_LATER_DAY=(today + timedelta(days=12)).isoformat())
    env.pop("QT_QPA_PLATFORM", None)
    result = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", "qgis", "--nologo",
                             "--noversioncheck", "--lang", lang, "--code", str(probe)],
                            capture_output=True, text=True, timeout=240, env=env)
    state_file = out / "state.json"
    assert state_file.exists(), f"QGIS did not run the probe (exit {result.returncode}):\n{result.stderr[-3000:]}"
    state = json.loads(state_file.read_text(encoding="utf-8"))
    assert state["errors"] == [], "\n".join(state["errors"])
    it = lang == "it"
    assert state["draw_button"] == ("Disegna un cantiere lungo una strada" if it else "Draw a work along a street")
    # three clicks on the street, each snapped onto it; the width from its lanes
    assert state["tool"] == "DrawWorkTool" and len(state["drawn_points"]) == 3
    assert all(cimabue.distance(shapely.Point(p)) < 0.05 for p in state["drawn_points"])
    assert state["width_m"] >= 3.5
    # the form, in the user's language, saves without an error
    assert state["form_open"] and state["ok_enabled"]
    assert state["form_title"] == ("Nuovo cantiere" if it else "New work")
    assert ("Data di inizio" if it else "Start date") in state["form_labels"]
    assert state["saved_uid"] and not state["works_layer_editable"]
    assert not [t for t in state["message_bar_after_save"] if "rror" in t or "rrore" in t]
    assert state["saved_work"] == {"owner": "estracom", "status": "draft", "revision": "1",
                                   "updated_by": state["saved_work"]["updated_by"]}
    assert state["counts_after_save"]["draft"] == "1" and state["counts_after_save"]["in_progress"] == "2"
    assert {"Estracom", "Publiacqua", "Toscana Energia"} <= set(state["works_legend"])
    # the clash with Publiacqua's dig: in the Conflicts tab, first, and on the map
    clash = "Interferenza" if it else "Clash"
    first = state["conflict_rows"][0]
    assert first[0] == clash and {f"{title} (Estracom)", "Rete idrica via Cimabue (Publiacqua)"} == {first[4], first[5]}
    assert state["conflicts_layer"] and state["conflicts_layer"][0][1] >= 1
    # the overdue work in the Alerts tab
    overdue = [row for row in state["alert_rows"] if row[1] == "Allaccio gas via Elio Danesi"]
    assert overdue and overdue[0][0] == ("Oltre la data di fine" if it else "Past its end date")
    # the Temporal Controller from today, day by day, to a day when neither dig is on
    assert state["temporal_mode_animated"] and state["days"][0] == today.isoformat()
    assert state["days"][1] == (today + timedelta(days=1)).isoformat()
    assert state["days"][-1] == (today + timedelta(days=12)).isoformat()
    assert "Rete idrica via Cimabue" in state["titles_by_day"][0] and title not in state["titles_by_day"][0]
    assert title in state["titles_by_day"][1]  # two days on, the new work has started
    assert title not in state["titles_by_day"][-1] and "Rete idrica via Cimabue" not in state["titles_by_day"][-1]
    for png in ("day_drawing.png", "day_form.png", "day_clash_map.png", "day_conflicts_tab.png", "day_alerts.png",
                "day_today.png", "day_plus2.png", "day_later.png"):
        assert (out / png).stat().st_size > 10_000, png
