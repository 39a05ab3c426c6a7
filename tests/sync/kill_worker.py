"""A Situation Room killed in the middle of a sync (SIGKILL: no cleanup, no exit handler), run by
test_sync_faults.py as its own process: python -m tests.sync.kill_worker STORE WFS_URL USER PASSWORD POINT,
POINT `before_send` (the batch marked in flight, not sent) or `after_commit` (the server committed, its answer
not yet saved). Its QGIS profile (and authentication database) is QGIS_CUSTOM_CONFIG_PATH's."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Sequence
from typing import Any


class Dying:
    """The platform, until the process is killed at `point`."""

    def __init__(self, real: Any, point: str) -> None:
        self.real, self.point = real, point

    def transaction(self, ops: Sequence[Any], *args: Any) -> Any:
        if self.point == "before_send":
            os.kill(os.getpid(), signal.SIGKILL)
        answer = self.real.transaction(ops, *args)
        if self.point == "after_commit":
            os.kill(os.getpid(), signal.SIGKILL)
        return answer

    def read_back(self, *args: Any) -> Any:
        return self.real.read_back(*args)

    def pull_page(self, *args: Any) -> Any:
        return self.real.pull_page(*args)


def main(argv: Sequence[str]) -> int:
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    from situation_room_plugin.workflows import sync as sy
    from tests.qgis.feeds_helpers import basic_authcfg
    from tests.sync.conftest import platform_source

    store, url, user, password, point = argv
    source = platform_source(url, basic_authcfg(user, password))
    sy.sync(store, source, "push", platform=Dying(sy.platform_for(source), point))
    return 0  # not reached: killed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
