"""The works form: QGIS's attribute form of a works layer, configured from the one works schema (core/works.py)
— aliases in the user's language, a value map for every enumerated field and for the organisations, date
pickers, constraints that say what core validation says, defaults (a new uid, the user's organisation, draft)
and the store's own fields read-only. Saved with the layer (as its default style in the GeoPackage) so the
form is the same wherever the layer is opened."""

from __future__ import annotations

import logging

from qgis.core import (
    QgsAttributeEditorContainer,
    QgsAttributeEditorField,
    QgsDefaultValue,
    QgsEditFormConfig,
    QgsEditorWidgetSetup,
    QgsFieldConstraints,
    QgsVectorLayer,
)

from situation_room_plugin.core.edits import KEPT_BY_STORE
from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.works import FIELDS, FieldKind, FieldSpec, Status
from situation_room_plugin.toolbelt.i18n import tr
from situation_room_plugin.toolbelt.labels import choice_labels, work_field_labels

LOG = logging.getLogger(__name__)

#: The custom property that marks a layer as a Situation Room works layer (the edit path watches it).
WORKS_LAYER_PROPERTY = "situation_room/works_layer"
#: The form's version: a layer whose saved form is older is configured again.
FORM_VERSION = 2
#: The QGIS global variable holding the user's organisation (the default owner of a new work).
ORGANISATION_VARIABLE = "situation_room_organisation"
_FORM_VERSION_PROPERTY = "situation_room/works_form"

_DATE_FORMAT = "yyyy-MM-dd"
_DATETIME_FORMAT = "yyyy-MM-ddTHH:mm:ss.zzzZ"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _value_map(labels: dict[str, str]) -> QgsEditorWidgetSetup:
    """A drop-down of labels storing the values (every enumerated field has a default: no empty entry)."""
    return QgsEditorWidgetSetup("ValueMap", {"map": [{label: value} for value, label in labels.items()]})


def _date_picker(spec: FieldSpec, with_time: bool) -> QgsEditorWidgetSetup:
    return QgsEditorWidgetSetup("DateTime", {
        "field_format": _DATETIME_FORMAT if with_time else _DATE_FORMAT,
        "display_format": "dd/MM/yyyy HH:mm" if with_time else "dd/MM/yyyy",
        "calendar_popup": True,
        "allow_null": not spec.required,
    })


def owner_labels(owners: OwnerRegistry) -> dict[str, str]:
    return {owner.code: owner.name for owner in owners}


def widget_setup(spec: FieldSpec, owners: OwnerRegistry) -> QgsEditorWidgetSetup:
    """The editor of one field of the schema."""
    if spec.kind is FieldKind.CHOICE:
        return _value_map(choice_labels(spec.name))
    if spec.kind is FieldKind.OWNER:
        return _value_map(owner_labels(owners))
    if spec.kind is FieldKind.DATE:
        return _date_picker(spec, with_time=False)
    if spec.kind is FieldKind.DATETIME:
        return _date_picker(spec, with_time=True)
    if spec.kind is FieldKind.BOOL:
        return QgsEditorWidgetSetup("CheckBox", {"CheckedState": "", "UncheckedState": ""})
    if spec.kind is FieldKind.INT:
        return QgsEditorWidgetSetup("Range", {"Min": 1, "Max": 2_147_483_647, "Step": 1, "Style": "SpinBox"})
    multiline = spec.name == "description"
    return QgsEditorWidgetSetup("TextEdit", {"IsMultiline": multiline, "UseHtml": False})


def _constraints(layer: QgsVectorLayer, index: int, spec: FieldSpec) -> None:
    """What core validation refuses, said in the form before the user saves."""
    layer.removeFieldConstraint(index, QgsFieldConstraints.Constraint.ConstraintExpression)
    if spec.required and spec.kind is not FieldKind.UUID:
        layer.setFieldConstraint(index, QgsFieldConstraints.Constraint.ConstraintNotNull,
                                 QgsFieldConstraints.ConstraintStrength.ConstraintStrengthHard)
    if spec.kind is FieldKind.TEXT and spec.required:
        layer.setConstraintExpression(index, f"length(trim(\"{spec.name}\")) > 0",
                                      tr("Give the work a title: it is how others will find it."))
    elif spec.name == "end_date":
        layer.setConstraintExpression(
            index, '"start_date" IS NULL OR "end_date" IS NULL OR "end_date" >= "start_date"',
            tr("The end date is before the start date."))
    elif spec.name == "latest_end":
        layer.setConstraintExpression(
            index, '"latest_end" IS NULL OR "start_date" IS NULL OR "end_date" IS NULL OR '
                   'day(age(coalesce("latest_end", "end_date"), coalesce("earliest_start", "start_date"))) '
                   '>= day(age("end_date", "start_date"))',
            tr("The window from the earliest start to the latest end is shorter than the work."))
    elif spec.name == "earliest_start":
        layer.setConstraintExpression(
            index, '"earliest_start" IS NULL OR "start_date" IS NULL OR "earliest_start" <= "start_date"',
            tr("The earliest possible start is after the planned start."))
    elif spec.name == "daily_hours":
        layer.setConstraintExpression(
            index, "\"daily_hours\" IS NULL OR trim(\"daily_hours\") = '' OR regexp_match(\"daily_hours\", "
                   "'^\\\\s*\\\\d{1,2}[:.]\\\\d{2}\\\\s*-\\\\s*\\\\d{1,2}[:.]\\\\d{2}\\\\s*"
                   "(,\\\\s*\\\\d{1,2}[:.]\\\\d{2}\\\\s*-\\\\s*\\\\d{1,2}[:.]\\\\d{2}\\\\s*)*$') > 0",
            tr("Write the hours as 08:00-12:00, or 08:00-12:00, 14:00-18:00."))


def form_groups() -> list[tuple[str, tuple[str, ...]]]:
    """The form's tabs and the fields on each, in the order a planner fills them."""
    return [
        (tr("Work"), ("title", "owner", "work_type", "status", "description")),
        (tr("Dates"), ("start_date", "end_date", "daily_hours", "night_work", "earliest_start", "latest_end")),
        (tr("Traffic and permit"), ("traffic_impact", "closed_direction", "excavation", "permit_ref", "contact")),
        (tr("Record"), ("uid", "revision", "created_at", "updated_at", "updated_by", "source")),
    ]


def _tabs(layer: QgsVectorLayer, form: QgsEditFormConfig) -> None:
    form.setLayout(QgsEditFormConfig.EditorLayout.TabLayout)
    form.clearTabs()
    for title, names in form_groups():
        tab = QgsAttributeEditorContainer(title, None)
        for name in names:
            index = layer.fields().indexOf(name)
            if index >= 0:
                tab.addChildElement(QgsAttributeEditorField(name, index, tab))
        form.addTab(tab)


def _default(spec: FieldSpec, organisation: str) -> QgsDefaultValue | None:
    if spec.kind is FieldKind.UUID:
        return QgsDefaultValue("uuid('WithoutBraces')")
    if spec.name == "owner":
        # the user's own organisation, from their settings (a QGIS global variable), not one saved in the file
        return QgsDefaultValue(f"@{ORGANISATION_VARIABLE}")
    if spec.name == "status":
        return QgsDefaultValue(_quote(Status.DRAFT.value))
    if spec.name == "work_type":
        return QgsDefaultValue(_quote("other"))
    if spec.name == "traffic_impact":
        return QgsDefaultValue(_quote("unknown"))
    if spec.name == "closed_direction":
        return QgsDefaultValue(_quote("both"))
    if spec.name == "revision":
        return QgsDefaultValue("1")
    if spec.name in ("created_at", "updated_at"):
        return QgsDefaultValue("now()")
    if spec.name == "night_work":
        return QgsDefaultValue("false")
    if spec.kind in (FieldKind.TEXT, FieldKind.HOURS) and not spec.required:
        return QgsDefaultValue("''")  # an empty box, not the word NULL
    return None  # excavation included: blank means "as the type of work says" (core/works.py)


def configure_works_form(layer: QgsVectorLayer, owners: OwnerRegistry, organisation: str | None = None) -> None:
    """Give a works layer the Situation Room form (fields the layer lacks are left alone). `organisation`, when
    given, becomes the user's organisation the owner's default reads (set_organisation_variable)."""
    if organisation is not None:
        set_organisation_variable(organisation)
    labels = work_field_labels()
    form = layer.editFormConfig()
    for spec in FIELDS:
        index = layer.fields().indexOf(spec.name)
        if index < 0:
            continue
        layer.setFieldAlias(index, labels.get(spec.name, spec.name))
        layer.setEditorWidgetSetup(index, widget_setup(spec, owners))
        default = _default(spec, organisation)
        if default is not None:
            layer.setDefaultValueDefinition(index, default)
        _constraints(layer, index, spec)
        read_only = spec.name in KEPT_BY_STORE or spec.kind is FieldKind.UUID or spec.name == "source"
        form.setReadOnly(index, read_only)
    primary = layer.fields().indexOf("fid")
    if primary >= 0:  # the GeoPackage's own key: nothing for a person to read or type
        layer.setEditorWidgetSetup(primary, QgsEditorWidgetSetup("Hidden", {}))
    _tabs(layer, form)
    layer.setEditFormConfig(form)
    layer.setCustomProperty(WORKS_LAYER_PROPERTY, True)
    layer.setCustomProperty(_FORM_VERSION_PROPERTY, FORM_VERSION)


def set_organisation_variable(organisation: str) -> None:
    """The user's organisation as the global variable the works form's owner default reads."""
    from qgis.core import QgsExpressionContextUtils

    QgsExpressionContextUtils.setGlobalVariable(ORGANISATION_VARIABLE, organisation or None)


def form_is_current(layer: QgsVectorLayer) -> bool:
    """Whether a works layer has this version's form (an older saved one is configured again)."""
    try:
        return int(layer.customProperty(_FORM_VERSION_PROPERTY, 0) or 0) >= FORM_VERSION
    except (TypeError, ValueError):
        return False


def is_works_layer(layer: object) -> bool:
    return isinstance(layer, QgsVectorLayer) and bool(layer.customProperty(WORKS_LAYER_PROPERTY, False))


def save_as_default_style(layer: QgsVectorLayer) -> str:
    """Keep the layer's style and form in its GeoPackage as the default one; '' or what went wrong."""
    result = layer.saveStyleToDatabase("situation_room_works", "Situation Room: works by organisation, with the "
                                       "works form", True, "")  # one name whatever the user's language
    message = result if isinstance(result, str) else (result[1] if isinstance(result, tuple) else "")
    if message:
        LOG.warning("the works layer's style was not saved in its GeoPackage: %s", message)
    return message or ""
