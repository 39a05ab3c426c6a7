"""Alerts in QGIS: the Alerts tab, the one line in the message bar, the gathering from a store, and the plugin
saying them on opening a project with the dock closed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest
from qgis.core import QgsCoordinateReferenceSystem, QgsProject
from qgis.PyQt.QtWidgets import QPushButton

from situation_room_plugin.core import alerts as rules
from situation_room_plugin.core.sources import Source
from situation_room_plugin.gui.alerts_panel import COLUMNS, AlertsPanel, notify
from situation_room_plugin.qgis_io import feed_cache
from situation_room_plugin.qgis_io import project as project_io
from situation_room_plugin.qgis_io.store import Store
from situation_room_plugin.workflows.alerts import gather_alerts
from tests.qgis.conftest import started_plugin
from tests.qgis.test_sources_panel import wait_for
from tests.unit.works_builder import box, uid, work

TODAY = date.today()


def days(n: int) -> int:
    """Day n counted from today, as works_builder counts from its DAY0."""
    from tests.unit.works_builder import DAY0

    return (TODAY - DAY0).days + n


def overdue(n: int = 0, **overrides):
    return work(n, box(0, 0, 40, 8), days(-20), days(-3), title=f"Rete idrica {n}", **overrides)


def bar_items(iface):
    return list(iface.messageBar().items())


@pytest.fixture
def clean_bar(qgis_iface):
    bar = qgis_iface.messageBar()
    bar.clearWidgets()
    yield bar
    bar.clearWidgets()


@pytest.fixture
def store_project(qgis_new_project, tmp_path):
    path = tmp_path / "project.gpkg"
    Store.open(path).close()
    project_io.set_store_path(path)
    yield path
    QgsProject.instance().removeEntry(project_io.SCOPE, "store")


# -- the tab ------------------------------------------------------------------------------------------------


def test_the_tab_lists_kind_title_owner_and_date_most_pressing_first(qgis_iface):
    found = rules.ordered([
        *rules.stale_feeds([Source("pa", "Cantieri Publiacqua", "publiacqua", "wfs", "https://x.it/ows")], {},
                           datetime.now(timezone.utc)),
        *rules.overdue_works([overdue(owner="estracom")], TODAY),
    ])
    panel = AlertsPanel(qgis_iface)
    panel.set_alerts(found)
    assert panel.table.rowCount() == 2
    row = [panel.table.item(0, c).text() for c in range(len(COLUMNS))]
    assert row[:4] == ["Past its end date", "Rete idrica 0", "Estracom",
                       (TODAY - timedelta(days=3)).isoformat()]
    assert row[4].startswith("Past its end date (") and "3 days ago" in row[4]
    assert panel.table.item(1, COLUMNS.index("kind")).text() == "Old offline copy"
    assert panel.summary.text() == "Alerts (2): Past its end date: 1, Old offline copy: 1"
    panel.set_alerts([])
    assert panel.table.rowCount() == 0 and panel.summary.text() == "No alerts."


def test_double_click_zooms_to_the_work_in_metres_in_a_map_in_degrees(qgis_iface):
    canvas = qgis_iface.mapCanvas()
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    panel = AlertsPanel(qgis_iface)
    panel.set_alerts([*rules.overdue_works([overdue()], TODAY),
                      *rules.stale_feeds([Source("pa", "PA", "publiacqua", "wfs", "https://x.it/ows")], {},
                                         datetime.now(timezone.utc))])
    assert panel.zoom_to_row(0)
    extent = canvas.extent()
    assert 11.0 < extent.center().x() < 11.2 and 43.8 < extent.center().y() < 43.95  # Prato, in degrees
    assert extent.width() < 0.01  # some hundred metres, not a whole degree
    assert not panel.zoom_to_row(1)  # a shared layer has nothing to zoom to


def test_the_days_ahead_are_a_setting_kept_and_a_change_looks_again(qgis_iface):
    from situation_room_plugin.toolbelt.settings import Settings

    kept = Settings.load()
    assert Settings().alert_days_ahead == 7  # a new profile's default
    panel = AlertsPanel(qgis_iface)
    asked: list[bool] = []
    panel.check_requested.connect(lambda: asked.append(True))
    try:
        panel.days_ahead.setValue(12)
        assert Settings.load().alert_days_ahead == 12 and asked == [True]
    finally:
        kept.save()


# -- the message bar ----------------------------------------------------------------------------------------


def test_notify_pushes_one_line_with_a_show_button_and_the_same_alerts_again_add_nothing(qgis_iface, clean_bar):
    found = rules.overdue_works([overdue(0), overdue(1)], TODAY)
    shown: set = set()
    opened: list[bool] = []
    item = notify(qgis_iface, found, shown, lambda: opened.append(True))
    assert bar_items(qgis_iface) == [item]
    assert item.text() == "New alerts (2): Past its end date: 2"
    (button,) = item.findChildren(QPushButton)
    assert button.text() == "Show"
    button.click()
    assert opened == [True]
    assert notify(qgis_iface, found, shown, lambda: opened.append(True)) is None
    assert bar_items(qgis_iface) == [item]


def test_a_new_alert_replaces_the_line_instead_of_adding_one(qgis_iface, clean_bar):
    shown: set = set()
    first = notify(qgis_iface, rules.overdue_works([overdue(0)], TODAY), shown, lambda: None)
    more = rules.overdue_works([overdue(0), overdue(1)], TODAY)
    second = notify(qgis_iface, more, shown, lambda: None, replace=first)
    assert bar_items(qgis_iface) == [second] and second.text() == "New alerts (1): Past its end date: 1"


def test_no_alerts_push_nothing(qgis_iface, clean_bar):
    assert notify(qgis_iface, [], set(), lambda: None) is None
    assert bar_items(qgis_iface) == []


# -- gathering from a store ---------------------------------------------------------------------------------


def test_every_kind_of_alert_is_gathered_from_the_store_and_the_shared_copies(tmp_path):
    path = tmp_path / "project.gpkg"
    partner = work(5, box(200, 0), days(2), days(9), title="Allaccio gas", owner="toscana_energia",
                   source="toscana_energia")
    gas = Source("toscana_energia", "Cantieri gas", "toscana_energia", "wfs", "https://gis.example.it/ows",
                 refresh_minutes=30)
    with Store.open(path) as store:
        store.write_works([overdue(0), overdue(1, status="completed"),
                           work(2, box(300, 0), days(7), days(9), title="Fibra", permit_ref="PG/1")])
        copy = feed_cache.NewCopy(store, gas)
        copy.add_works([partner])
        copy.replace([], now=datetime.now(timezone.utc) - timedelta(hours=2))
    now = datetime.now(timezone.utc)
    report = gather_alerts(path, [gas], TODAY, now, days_ahead=7)
    assert [(a.kind, a.subject) for a in report.alerts] == [
        ("overdue", uid(0)), ("no_permit", uid(5)), ("stale_feed", "toscana_energia")]
    assert report.alerts[1].owner == "toscana_energia"


def test_a_detection_s_new_then_worse_conflicts_are_gathered(tmp_path):
    from situation_room_plugin.qgis_io.conflict_layers import Places
    from situation_room_plugin.workflows.conflicts import detect_conflicts, store_works

    path = tmp_path / "project.gpkg"
    a = work(0, box(0, 0, 40, 8), days(10), days(30), title="Rete idrica", permit_ref="PG/1")
    b = work(1, box(30, 0, 40, 8), days(20), days(40), title="Fibra", owner="estracom", permit_ref="PG/2")
    with Store.open(path) as store:
        store.write_works([a, b])
    first = detect_conflicts(store_works(path).works, Places(), store=path)
    report = gather_alerts(path, [], TODAY, datetime.now(timezone.utc), found=first.conflicts)
    (alert,) = report.alerts
    assert (alert.kind, alert.title, alert.owner) == ("new_conflict", "Rete idrica", "publiacqua / estracom")
    assert alert.message.startswith("New clash with «Fibra» (estracom), severity ")
    detect_conflicts(store_works(path).works, Places(), store=path)  # again: nothing new, nothing worse
    assert gather_alerts(path, [], TODAY, datetime.now(timezone.utc)).alerts == []
    with Store.open(path) as store:
        store.write_works([replace(b, start_date=a.start_date)])  # ten more days together
    detect_conflicts(store_works(path).works, Places(), store=path)
    (worse,) = gather_alerts(path, [], TODAY, datetime.now(timezone.utc)).alerts
    assert worse.kind == "worse_conflict" and worse.day == a.start_date


# -- the plugin ---------------------------------------------------------------------------------------------


def test_opening_a_project_whose_store_has_an_overdue_work_says_so_with_the_dock_never_opened(
    qgis_iface, qgis_processing, qgis_new_project, clean_bar, tmp_path
):


    store = tmp_path / "project.gpkg"
    with Store.open(store) as opened:
        opened.write_works([overdue(0)])
    project_io.set_store_path(store)
    project_file = tmp_path / "prato.qgz"
    assert QgsProject.instance().write(str(project_file))
    QgsProject.instance().removeEntry(project_io.SCOPE, "store")
    plugin = started_plugin(qgis_iface)
    try:
        assert QgsProject.instance().read(str(project_file))
        wait_for(lambda: plugin.alerts.task is None and plugin.alerts.alerts)
        assert [(a.kind, a.subject) for a in plugin.alerts.alerts] == [("overdue", uid(0))]
        assert plugin.dock is None
        (item,) = bar_items(qgis_iface)
        assert item.text() == "New alerts (1): Past its end date: 1"
        plugin.alerts.check()  # the same alerts again (e.g. after a refresh): no second line
        wait_for(lambda: plugin.alerts.task is None)
        assert bar_items(qgis_iface) == [item]
        (button,) = item.findChildren(QPushButton)
        button.click()  # Show: the dock is made and opened on the Alerts tab
        assert plugin.dock is not None and not plugin.dock.isHidden()
        assert plugin.dock.tabs.currentWidget() is plugin.dock.alerts_panel
        assert plugin.dock.alerts_panel.table.rowCount() == 1
        QgsProject.instance().clear()  # the project closed: its alerts and its line go
        assert plugin.dock.alerts_panel.table.rowCount() == 0 and bar_items(qgis_iface) == []
    finally:
        plugin.unload()
        QgsProject.instance().removeEntry(project_io.SCOPE, "store")


def test_a_detection_in_the_dock_says_its_new_conflicts(
    qgis_iface, qgis_processing, qgis_new_project, clean_bar, store_project
):


    with Store.open(store_project) as opened:
        opened.write_works([work(0, box(0, 0, 40, 8), days(10), days(30), title="Rete idrica", permit_ref="PG/1"),
                            work(1, box(30, 0, 40, 8), days(20), days(40), title="Fibra", permit_ref="PG/2")])
    plugin = started_plugin(qgis_iface)
    try:
        plugin.set_dock_visible(True)
        heard: list = []
        plugin.dock.conflicts_panel.detected.connect(heard.append)
        plugin.dock.conflicts_panel.detect(wait=True)
        assert len(heard) == 1 and heard[0] is plugin.dock.conflicts_panel.outcome
        wait_for(lambda: plugin.alerts.task is None and plugin.alerts.alerts)
        assert [a.kind for a in plugin.alerts.alerts] == ["new_conflict"]
        assert plugin.dock.alerts_panel.table.rowCount() == 1
        assert len(bar_items(qgis_iface)) == 1
    finally:
        plugin.unload()


# -- in Italian ---------------------------------------------------------------------------------------------


@pytest.fixture
def italian():
    from situation_room_plugin.toolbelt import i18n

    translator = i18n.install_translator("it")
    if translator is None:
        pytest.fail("situation_room_it.qm is not built: run `python tools/i18n.py release` (make test does)")
    yield
    i18n.remove_translator(translator)


def test_alerts_are_said_in_italian_under_an_italian_locale(italian, qgis_iface, clean_bar):
    from situation_room_plugin.toolbelt.i18n import alert_message

    (alert,) = rules.overdue_works([overdue()], TODAY)
    assert alert_message(alert) == (f"Oltre la data di fine ({(TODAY - timedelta(days=3)).isoformat()}, 3 giorni fa) "
                                    "e non completato.")
    item = notify(qgis_iface, [alert], set(), lambda: None)
    assert item.text() == "Nuovi avvisi (1): Oltre la data di fine: 1"
    assert [b.text() for b in item.findChildren(QPushButton)] == ["Mostra"]
    (stale,) = rules.stale_feeds([Source("pa", "PA", "publiacqua", "wfs", "https://x.it/ows")], {},
                                 datetime.now(timezone.utc))
    assert alert_message(stale) == "Ancora nessuna copia offline (intervallo di aggiornamento 60 minuti)."


def test_after_a_refresh_the_partners_late_works_are_said_with_the_dock_closed(
    qgis_iface, qgis_processing, qgis_new_project, clean_bar, store_project, tmp_path
):

    from situation_room_plugin.qgis_io import sources as feeds
    from tests.qgis.feeds_helpers import publiacqua_feature, publiacqua_source, write_collection

    def dates(end: str) -> dict:
        return {"Data prevista inizio lavori": "01/01/2026", "Data prevista fine lavori": end}

    ended = (TODAY - timedelta(days=5)).strftime("%d/%m/%Y")
    feed = write_collection(tmp_path / "pa.geojson", [publiacqua_feature(0, **dates(ended)),
                                                      publiacqua_feature(1, **dates("31/12/2099"))])
    source = publiacqua_source(str(feed), kind="geojson_file")
    feeds.write_registry([source])
    plugin = started_plugin(qgis_iface)
    try:
        assert plugin.scheduler.refresh([source])
        wait_for(lambda: not plugin.scheduler.busy and plugin.alerts.task is None and plugin.alerts.alerts)
        assert [(a.kind, a.title, a.owner) for a in plugin.alerts.alerts] == [
            ("overdue", "Rete idrica, intervento 0", "publiacqua")]
        assert plugin.dock is None and len(bar_items(qgis_iface)) == 1
    finally:
        plugin.unload()
        feeds.write_registry([])


def test_a_check_asked_for_while_one_runs_runs_after_it_once(qgis_iface, clean_bar, store_project):
    from situation_room_plugin.gui.alerts_panel import AlertMonitor

    with Store.open(store_project) as opened:
        opened.write_works([overdue(0)])
    monitor = AlertMonitor(qgis_iface)
    heard: list[list] = []
    monitor.updated.connect(heard.append)
    assert monitor.check()
    first = monitor.task
    assert monitor.check() and monitor.check(opened=True)  # queued behind the running one, merged
    assert monitor.task is first and monitor._queued == {"found": None, "opened": True}
    wait_for(lambda: monitor.task is None and monitor._queued is None and len(heard) == 2)
    assert [[a.subject for a in alerts] for alerts in heard] == [[uid(0)], [uid(0)]]
    assert len(bar_items(qgis_iface)) == 1  # the second check was a project opening: said again, one line
