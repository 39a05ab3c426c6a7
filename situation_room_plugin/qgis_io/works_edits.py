"""The edit path of a works layer in QGIS: whatever made the edit — the form, the attribute table, a paste, a
geometry edit, a delete, the field calculator — the layer's edit buffer is stamped by core/edits.py's rule just
before it is committed (new works: uid, owner, draft, revision 1; changed works: revision + 1, time, user),
then validated like any record, and what was done is announced as EditRecords (the sync outbox's input)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from qgis.core import QgsFeatureRequest, QgsVectorLayer
from qgis.PyQt.QtCore import QObject, pyqtSignal

from situation_room_plugin.core.edits import (
    EditRecord,
    changed_work_values,
    created_record,
    deleted_record,
    new_work_values,
    now_utc,
)
from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.problems import Problem, Severity
from situation_room_plugin.core.works import FIELDS, work_from_record
from situation_room_plugin.qgis_io.layers import geometries_to_shapely, project_crs, to_python, to_qgis

LOG = logging.getLogger(__name__)

_KINDS = {spec.name: spec.kind for spec in FIELDS}


def _values(layer: QgsVectorLayer, feature: Any) -> dict[str, Any]:
    names = layer.fields().names()
    return {name: to_python(value) for name, value in zip(names, feature.attributes()) if name in _KINDS}


class WorksEditPath(QObject):
    """Stamps and checks every commit of one works layer. `user` and `organisation` are asked at each commit
    (a setting may change while the layer is open); `owners` gives the registry validation checks against."""

    #: The edits of a commit that went through (after the data provider took them).
    committed = pyqtSignal(list)
    #: Problems of the works just saved (a work saved with an error is kept, and said to need a fix).
    problems_found = pyqtSignal(list)

    def __init__(self, layer: QgsVectorLayer, user: Callable[[], str], organisation: Callable[[], str],
                 owners: Callable[[], OwnerRegistry]) -> None:
        super().__init__(layer)
        self.layer = layer
        self._user, self._organisation, self._owners = user, organisation, owners
        self._pending: list[EditRecord] = []
        layer.beforeCommitChanges.connect(self.stamp)
        layer.afterCommitChanges.connect(self._announce)
        layer.afterRollBack.connect(self._forget)

    def _forget(self) -> None:
        self._pending = []

    def detach(self) -> None:
        for signal, slot in ((self.layer.beforeCommitChanges, self.stamp),
                             (self.layer.afterCommitChanges, self._announce),
                             (self.layer.afterRollBack, self._forget)):
            try:
                signal.disconnect(slot)
            except TypeError:
                pass

    # -- the stamp --------------------------------------------------------------------------------------

    def stamp(self, *args: Any) -> None:
        """Apply the edit rule to the layer's edit buffer (QGIS calls this just before committing it)."""
        buffer = self.layer.editBuffer()
        if buffer is None:
            return
        try:
            self._pending, checked = self._stamp(buffer)
        except Exception:  # a bug here must not lose the user's edits: they still commit
            LOG.exception("the works edits of %s could not be stamped", self.layer.name())
            self._pending = []
            return
        try:
            self._check(checked)
        except Exception:  # the check is advice: its failure must not cost the edits' records
            LOG.exception("the works saved in %s could not be checked", self.layer.name())

    def _stamp(self, buffer: Any) -> tuple[list[EditRecord], list[tuple[str, dict[str, Any], Any]]]:
        layer, fields = self.layer, self.layer.fields()
        moment, user, organisation = now_utc(), self._user(), self._organisation()
        provider = layer.dataProvider()
        records: list[EditRecord] = []
        changed_ids = [fid for fid in {*buffer.changedAttributeValues(), *buffer.changedGeometries()}
                       if fid >= 0 and not buffer.isFeatureDeleted(fid)]
        deleted_ids = list(buffer.deletedFeatureIds())
        stored = {f.id(): _values(layer, f)
                  for f in provider.getFeatures(QgsFeatureRequest().setFilterFids(changed_ids + deleted_ids)
                                                .setFlags(QgsFeatureRequest.Flag.NoGeometry))}
        # a uid deleted in this same commit is free again: a cut and paste moves a work, it keeps its identity
        freed = {str(stored[fid].get("uid")) for fid in deleted_ids if fid in stored}
        stored_uids = self._stored_uids([f.attribute("uid") for f in buffer.addedFeatures().values()]) - freed
        checked: list[tuple[str, dict[str, Any], Any]] = []

        def apply(fid: int, values: dict[str, Any]) -> None:
            for name, value in values.items():
                index = fields.indexOf(name)
                if index >= 0:
                    layer.changeAttributeValue(fid, index, to_qgis(value, _KINDS[name]))

        for fid, feature in list(buffer.addedFeatures().items()):
            values = _values(layer, feature)
            taken = stored_uids | {r.uid for r in records}
            updates = new_work_values(values, user=user, moment=moment, organisation=organisation,
                                      taken=lambda uid, taken=taken: uid in taken)
            apply(fid, updates)
            values.update(updates)
            records.append(created_record(values))
            checked.append((self._ref(fid, values), values, fid))
        geometry_changed = buffer.changedGeometries()
        for fid in changed_ids:
            before = stored.get(fid)
            if before is None:
                continue
            after = _values(layer, layer.getFeature(fid))
            updates, record = changed_work_values(before, after, fid in geometry_changed, user=user, moment=moment)
            apply(fid, updates)
            if record is not None:
                records.append(record)
                checked.append((self._ref(fid, {**after, **updates}), {**after, **updates}, fid))
        records += [deleted_record(stored[fid]) for fid in deleted_ids if fid in stored]
        return records, checked

    def _stored_uids(self, uids: list[Any]) -> set[str]:
        """Which of these uids the layer's data already holds (a pasted copy of a stored work)."""
        wanted = sorted({str(u) for u in map(to_python, uids) if u})
        if not wanted:
            return set()
        quoted = ", ".join("'" + u.replace("'", "''") + "'" for u in wanted)
        request = QgsFeatureRequest().setFilterExpression(f'"uid" IN ({quoted})')
        request.setFlags(QgsFeatureRequest.Flag.NoGeometry).setSubsetOfAttributes(["uid"], self.layer.fields())
        return {str(f.attribute("uid")) for f in self.layer.dataProvider().getFeatures(request)}

    def _ref(self, fid: int, values: dict[str, Any]) -> str:
        return f"{self.layer.name()} #{fid}" if fid >= 0 else self.layer.name()

    def _check(self, checked: list[tuple[str, dict[str, Any], Any]]) -> None:
        """Validate the works about to be saved as core would read them; say what is wrong, keep them."""
        if not checked:
            return
        from qgis.core import QgsCoordinateTransform, QgsGeometry, QgsProject

        transform = QgsCoordinateTransform(self.layer.crs(), project_crs(), QgsProject.instance())
        geometries = []
        for _, _, fid in checked:
            geometry = QgsGeometry(self.layer.getFeature(fid).geometry())
            if not geometry.isNull() and not transform.isShortCircuited():
                geometry.transform(transform)
            geometries.append(None if geometry.isNull() else geometry)
        owners = self._owners()
        problems: list[Problem] = []
        for (ref, values, _), shape in zip(checked, geometries_to_shapely(geometries)):
            _, found = work_from_record(values, shape, ref=ref, owners=owners)
            problems += [p for p in found if p.severity is Severity.ERROR]
        if problems:
            self.problems_found.emit(problems)

    def _announce(self) -> None:
        records, self._pending = self._pending, []
        for record in records:
            LOG.info("work %s %s (revision %s)", record.uid, record.kind.value, record.revision)
        if records:
            self.committed.emit(records)
