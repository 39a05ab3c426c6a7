"""Translation: `tr()` for every user-visible string and the translator loaded from the user's locale."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QTranslator

from situation_room_plugin.core.problems import CONTEXT as PROBLEMS_CONTEXT
from situation_room_plugin.core.problems import TEMPLATES, Problem, format_message

if TYPE_CHECKING:
    from situation_room_plugin.core.alerts import Alert

#: pylupdate5 files a bare `tr("...")` call under this context, whatever the class it stands in.
CONTEXT = "@default"
I18N_DIR = Path(__file__).resolve().parent.parent / "i18n"


def tr(text: str) -> str:
    """A user-visible string in the user's language. Write the literal inside the call, for pylupdate5."""
    return QCoreApplication.translate(CONTEXT, text)


def translate(context: str, text: str) -> str:
    """A string marked elsewhere with QT_TRANSLATE_NOOP(context, text), in the user's language."""
    return QCoreApplication.translate(context, text)


def user_locale() -> str:
    """The two-letter language of QGIS's own interface (its override, `--lang`, or the system's)."""
    app = QgsApplication.instance()
    code = app.translation() if isinstance(app, QgsApplication) else ""
    return (code or QgsApplication.locale() or "en")[:2]


def install_translator(locale: str | None = None) -> QTranslator | None:
    """Load i18n/situation_room_<lang>.qm into the application; None when there is none for the language."""
    lang = locale or user_locale()
    path = I18N_DIR / f"situation_room_{lang}.qm"
    if not path.exists():
        return None
    translator = QTranslator()
    if not translator.load(str(path)):
        return None
    QgsApplication.installTranslator(translator)
    return translator


def remove_translator(translator: QTranslator | None) -> None:
    if translator is not None:
        QgsApplication.removeTranslator(translator)


def problem_message(problem: Problem) -> str:
    """A problem's message in the user's language (the templates live in core, marked for pylupdate5)."""
    template = QCoreApplication.translate(PROBLEMS_CONTEXT, TEMPLATES[problem.code])
    return format_message(template, problem.params, problem.field)


def alert_message(alert: Alert) -> str:
    """An alert's message in the user's language (the templates live in core/alerts.py, marked for pylupdate5)."""
    from situation_room_plugin.core import alerts  # the engines' packages: not needed by the other messages

    template = QCoreApplication.translate(alerts.CONTEXT, alerts.TEMPLATES[alert.code])
    return format_message(template, alert.params, "")


def error_message(error: BaseException) -> str:
    """What the dock and Processing show of a failure: a SituationRoomError's problem in the user's language
    (with the record it names), anything else as Python says it."""
    problem = getattr(error, "problem", None)
    if isinstance(problem, Problem):
        message = problem_message(problem)
        return f"{problem.record}: {message}" if problem.record else message
    return str(error)
