"""The demo's sample works: planned works of the six utilities and the Comune on real Prato streets, chosen by
rules from the road graph (names and OSM classes), dated around a given day, from a fixed seed.

Every run with the same roads, schools and day gives the same works (uids are name-based, `uuid5`), so that
the demo run twice changes nothing. Each scenario of the coordination room is there on purpose:

- `clash`: Publiacqua and Toscana Energia on the same stretch of the longest named secondary street, on
  overlapping days (the first closes the street);
- `opportunity`: Publiacqua digs a street and the Comune resurfaces it a fortnight later (dig once);
- `moratorium`: a new connection dug in a street the Comune resurfaced last spring (protected for a year);
- `school`: Alia's underground bins by the entrance of a school mapped in OpenStreetMap;
- `cutoff`: a closure on the only way into a residential street, which is cut off while it lasts;
- a few more ordinary works (`extra-N`) on other named streets, for a realistic map.
Each work says it is sample data in its `source` and its description.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import shapely
from shapely import ops
from shapely.geometry import LineString, MultiPolygon
from shapely.geometry.base import BaseGeometry

from situation_room_plugin.core.roads import RoadGraph
from situation_room_plugin.core.works import Work

#: The marker every sample work carries (its `source`), and the sentence that ends its description.
SAMPLE_SOURCE = "Dati di esempio"
SAMPLE_NOTE = "Dati di esempio generati per la dimostrazione, non è un cantiere reale."
SEED = 13
_NAMESPACE = uuid.UUID("5e3d1c2a-13de-4d0e-9a61-7a2b9c0d1e13")
SCENARIOS = ("clash", "opportunity", "moratorium", "school", "cutoff")


@dataclass(frozen=True)
class Place:
    """A sensitive place (a school) in EPSG:6707: its OSM key, name and geometry."""

    key: str
    name: str
    geometry: BaseGeometry


@dataclass
class Protected:
    """A street stretch that may not be dug until `protected_until` (the Comune resurfaced it)."""

    name: str
    street: str
    resurfaced: date
    protected_until: date
    geometry: BaseGeometry


@dataclass
class Seed:
    """The sample: the works, which uids play each scenario, the protected stretches, the school concerned."""

    today: date
    works: list[Work] = field(default_factory=list)
    scenarios: dict[str, tuple[str, ...]] = field(default_factory=dict)
    protected: list[Protected] = field(default_factory=list)
    school: Place | None = None

    def by_uid(self, uid: str) -> Work:
        return next(w for w in self.works if w.uid == uid)

    def owned_by(self, owners: Sequence[str]) -> list[Work]:
        return [w for w in self.works if w.owner in owners]


def sample_uid(key: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"situation-room-demo/{key}"))


class Streets:
    """The named streets of a road graph: each name's edges merged into one line, with its OSM class."""

    def __init__(self, graph: RoadGraph) -> None:
        self.graph = graph
        geometries = graph.edge_geometries()
        names = [graph.edge_name(e) for e in range(graph.edge_count)]
        classes = [graph.edge_class(e) for e in range(graph.edge_count)]
        self.edges: dict[str, list[int]] = {}
        for e, name in enumerate(names):
            if name:
                self.edges.setdefault(name, []).append(e)
        self.lines: dict[str, LineString] = {}
        self.classes: dict[str, str] = {}
        for name, edges in self.edges.items():
            merged = shapely.line_merge(shapely.union_all(geometries[edges]))
            parts = list(getattr(merged, "geoms", [merged]))
            self.lines[name] = max(parts, key=lambda p: p.length)
            counted: dict[str, int] = {}
            for e in edges:
                counted[classes[e]] = counted.get(classes[e], 0) + 1
            self.classes[name] = max(sorted(counted), key=lambda c: counted[c])

    def longest(self, highway: str, skip: set[str], minimum_m: float = 300.0) -> str:
        """The longest (one piece) named street of an OSM class, not among `skip`."""
        candidates = [n for n, c in self.classes.items() if c == highway and n not in skip
                      and self.lines[n].length >= minimum_m]
        if not candidates:
            raise ValueError(f"no named {highway} street of {minimum_m:.0f} m or more in the roads")
        return max(sorted(candidates), key=lambda n: self.lines[n].length)

    def stretch(self, name: str, at: float, length_m: float, half_width_m: float = 4.0) -> MultiPolygon:
        """The footprint of `length_m` of street `name` centred at the fraction `at` of its length."""
        return footprint(self.lines[name], at, length_m, half_width_m)


def footprint(line: LineString, at: float, length_m: float, half_width_m: float = 4.0) -> MultiPolygon:
    middle = at * line.length
    start = max(0.0, middle - length_m / 2)
    end = min(line.length, start + length_m)
    piece = ops.substring(line, start, end)
    area = piece.buffer(half_width_m, cap_style="flat", join_style="mitre")
    return MultiPolygon([area]) if area.geom_type == "Polygon" else area


def _work(key: str, owner: str, title: str, what: str, street: str, first: date, days: int,
          geometry: BaseGeometry, **fields: object) -> Work:
    return Work(uid=sample_uid(key), title=f"{title} — {street}", owner=owner,
                description=f"{what} {SAMPLE_NOTE}", start_date=first, end_date=first + timedelta(days=days - 1),
                status=str(fields.pop("status", "planned")), source=SAMPLE_SOURCE, geometry=geometry,
                revision=1, **fields)  # type: ignore[arg-type]


def _school_street(streets: Streets, schools: Sequence[Place], skip: set[str]) -> tuple[Place, str, float]:
    """The school nearest a named residential or unclassified street (within 25 m), the street, and where
    along it the school is (fraction of its length); ties broken by the school's key."""
    best: tuple[float, str, Place, str, float] | None = None
    names = sorted(n for n, c in streets.classes.items() if c in ("residential", "unclassified", "tertiary")
                   and n not in skip and streets.lines[n].length >= 150)
    lines = np.asarray([streets.lines[n] for n in names], dtype=object)
    tree = shapely.STRtree(lines)
    for school in sorted(schools, key=lambda s: s.key):
        if not school.name:
            continue
        index = tree.nearest(school.geometry)
        if index is None:
            continue
        line = lines[index]
        distance = line.distance(school.geometry)
        if distance > 25:
            continue
        at = line.project(school.geometry.centroid) / line.length
        if 0.15 <= at <= 0.85:
            candidate = (round(distance, 1), school.key, school, names[index], at)
            if best is None or candidate[:2] < best[:2]:
                best = candidate
    if best is None:
        raise ValueError("no named school within 25 m of a named street in the OpenStreetMap places")
    return best[2], best[3], best[4]


def _cutoff_edge(graph: RoadGraph, streets: Streets, skip: set[str], day: date) -> tuple[str, int, Work]:
    """A named residential street edge that is the only way into a named street behind it (a bridge of the
    graph): closing it cuts that street off, as the detour engine finds. The street, the edge, the work."""
    from situation_room_plugin.core.detours import DetourEngine

    bridges = np.flatnonzero(graph.bridges())
    degree = graph.node_degree()
    found: list[tuple[float, int, str]] = []
    for e in bridges.tolist():
        name = graph.edge_name(e)
        if not name or name in skip or graph.edge_class(e) != "residential":
            continue
        if degree[graph.edge_u[e]] == 1 or degree[graph.edge_v[e]] == 1:
            continue  # a leaf: nothing behind it
        if 30 <= graph.edge_length[e] <= 200:
            found.append((-float(graph.edge_length[e]), e, name))
    engine = DetourEngine(graph)
    for _, e, name in sorted(found)[:60]:
        line = LineString(graph.edge_coords(e))
        work = _work("cutoff-gas", "toscana_energia", "Allaccio gas con chiusura della strada",
                     "Scavo trasversale: la strada è chiusa al traffico.", name, day, 6,
                     footprint(line, 0.5, line.length, 3.5), work_type="new_connection", excavation=True,
                     traffic_impact="all-lanes-closed", daily_hours="08:00-18:00")
        lost = engine.day([work], day).cutoff
        behind = {graph.edge_name(c.edge) for c in lost} - {""}
        if sum(graph.edge_length[c.edge] for c in lost) >= 100 and behind:
            return name, e, work
    raise ValueError("no residential street in the roads is the only way into a named street")


def generate(graph: RoadGraph, schools: Sequence[Place], today: date, seed: int = SEED,
             extra: int = 8) -> Seed:
    """The demo's works around `today` on the streets of `graph` (EPSG:6707) and by one of `schools`."""
    rng = random.Random(seed)
    streets = Streets(graph)
    out = Seed(today)
    used: set[str] = set()
    day = today.__add__

    def add(scenario: str, *works: Work) -> None:
        out.works.extend(works)
        out.scenarios[scenario] = tuple(w.uid for w in works)

    clash = streets.longest("secondary", used)
    used.add(clash)
    add("clash",
        _work("clash-water", "publiacqua", "Rinnovo rete idrica", "Sostituzione della condotta dell'acqua potabile.",
              clash, day(timedelta(-3)), 16, streets.stretch(clash, 0.5, 180), work_type="excavation",
              excavation=True, traffic_impact="all-lanes-closed", daily_hours="08:00-18:00",
              permit_ref="PG/2026/0451", contact="cantieri@publiacqua.it", status="authorized"),
        _work("clash-gas", "toscana_energia", "Sostituzione condotta gas", "Rifacimento della rete del gas in "
              "bassa pressione.", clash, day(timedelta(5)), 14, streets.stretch(clash, 0.55, 140),
              work_type="network_maintenance", excavation=True, traffic_impact="some-lanes-closed",
              daily_hours="08:00-17:00", earliest_start=day(timedelta(0)), latest_end=day(timedelta(90)),
              contact="lavori@toscanaenergia.it"))
    opportunity = streets.longest("tertiary", used)
    used.add(opportunity)
    add("opportunity",
        _work("dig-water", "publiacqua", "Nuova condotta fognaria", "Posa della nuova fognatura nera.",
              opportunity, day(timedelta(8)), 9, streets.stretch(opportunity, 0.4, 160), work_type="excavation",
              excavation=True, traffic_impact="alternating-one-way", daily_hours="07:30-17:30"),
        _work("dig-resurface", "comune", "Rifacimento del manto stradale", "Fresatura e nuovo asfalto.",
              opportunity, day(timedelta(31)), 5, streets.stretch(opportunity, 0.45, 300), work_type="resurfacing",
              traffic_impact="all-lanes-closed", night_work=True, daily_hours="21:00-06:00"))
    moratorium = streets.longest("tertiary", used)
    used.add(moratorium)
    resurfaced = day(timedelta(-200))
    out.protected.append(Protected(f"Asfaltatura {moratorium}", moratorium, resurfaced,
                                   resurfaced + timedelta(days=365),
                                   ops.substring(streets.lines[moratorium], 0.0, streets.lines[moratorium].length)))
    add("moratorium",
        _work("moratorium-connection", "publiacqua", "Nuovo allacciamento idrico",
              "Allacciamento di un nuovo edificio alla rete.", moratorium, day(timedelta(14)), 4,
              streets.stretch(moratorium, 0.6, 30), work_type="new_connection", excavation=True,
              traffic_impact="some-lanes-closed"))
    school, school_street, at = _school_street(streets, schools, used)
    used.add(school_street)
    out.school = school
    add("school",
        _work("school-bins", "alia", "Cassonetti interrati", f"Scavo per i cassonetti interrati vicino a "
              f"{school.name}.", school_street, day(timedelta(2)), 8, streets.stretch(school_street, at, 60),
              work_type="excavation", excavation=True, traffic_impact="some-lanes-closed",
              daily_hours="08:00-16:00"))
    cut_street, _edge, cut_work = _cutoff_edge(graph, streets, used, day(timedelta(1)))
    used.add(cut_street)
    add("cutoff", cut_work)
    ordinary = [
        ("estracom", "Posa fibra ottica", "Minitrincea per la fibra ottica.", "excavation", "alternating-one-way"),
        # WZDx (Estracom's feed) carries no "new connection": its types of work read back as an excavation
        ("estracom", "Armadio stradale fibra", "Scavo per un nuovo armadio di distribuzione.", "excavation",
         "some-lanes-closed"),
        ("cap", "Nuova pensilina alla fermata", "Sostituzione della pensilina della fermata.", "other",
         "some-lanes-closed"),
        ("consiag", "Rifacimento stalli di sosta", "Nuova segnaletica degli stalli blu.", "other",
         "some-lanes-closed"),
        ("alia", "Spostamento campane vetro", "Spostamento delle campane del vetro.", "other", "all-lanes-open"),
        ("comune", "Manutenzione marciapiedi", "Rifacimento dei marciapiedi.", "road_construction",
         "some-lanes-closed"),
        ("toscana_energia", "Ispezione rete gas", "Verifica delle valvole di rete.", "network_maintenance",
         "alternating-one-way"),
        ("publiacqua", "Riparazione perdita", "Riparazione di una perdita sulla condotta.", "excavation",
         "all-lanes-closed"),
    ]
    pool = sorted(n for n, c in streets.classes.items() if c in ("residential", "tertiary", "unclassified")
                  and n not in used and streets.lines[n].length >= 200)
    chosen = rng.sample(pool, min(extra, len(pool)))
    works = []
    for index, street in enumerate(chosen):
        owner, title, what, work_type, impact = ordinary[index % len(ordinary)]
        first = day(timedelta(rng.randint(-10, 50)))
        works.append(_work(f"extra-{index + 1}", owner, title, what, street, first, rng.randint(2, 12),
                           streets.stretch(street, rng.uniform(0.3, 0.7), rng.choice((40, 60, 80))),
                           work_type=work_type, excavation=work_type in ("excavation", "new_connection"),
                           traffic_impact=impact, daily_hours="08:00-17:00"))
    add("extra", *works)
    return out


def busiest_day(works: Sequence[Work], first: date, last: date) -> date:
    """The day between `first` and `last` with the most works closing a street (the earliest of a tie)."""
    best, most = first, -1
    day = first
    while day <= last:
        count = sum(1 for w in works if w.traffic_impact == "all-lanes-closed" and w.is_active_on(day))
        if count > most:
            best, most = day, count
        day += timedelta(days=1)
    return best
