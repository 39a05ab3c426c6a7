"""The access control of the platform's QGIS Server: a request filter that identifies the user from HTTP Basic
authentication (401 for wrong credentials, and for none unless the access file allows anonymous reading) and a
QgsAccessControlFilter that lets an organisation edit only its own records, and the Comune's users every record.

Which layers are editable, and by whom, the project says (the platform writes it, platform/situation_room_platform
/project.py): a layer's custom property `situation_room/editors` is "owner" (each organisation its own records:
works, decisions) or "comune" (only the Comune's users: the published results). Other layers are read-only.
No one deletes: records are deleted by a tombstone (deleted = 1), which the other clients see.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Optional

from qgis.core import Qgis, QgsFeature, QgsMapLayer, QgsMessageLog
from qgis.server import QgsAccessControlFilter, QgsServerException, QgsServerFilter, QgsServerInterface

from situation_room_acl.users import ENV_VAR, AccessConfig, ConfigError, User

EDITORS_PROPERTY = "situation_room/editors"
LOG_TAG = "Situation Room ACL"


class Users:
    """The access file, read again when it changes; the users of verified Authorization headers are remembered
    (by the header's SHA-256) until then, so a password is checked once and not on every request."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: Optional[tuple[float, int]] = None
        self._config = AccessConfig()
        self._verified: dict[str, Optional[User]] = {}

    def config(self) -> AccessConfig:
        stat = self.path.stat()
        stamp = (stat.st_mtime, stat.st_size)
        if stamp != self._stamp:
            self._config, self._stamp, self._verified = AccessConfig.load(self.path), stamp, {}
        return self._config

    def user(self, header: str) -> Optional[User]:
        config = self.config()
        key = hashlib.sha256(header.encode("utf-8", "replace")).hexdigest()
        if key not in self._verified:
            if len(self._verified) > 10_000:  # wrong headers must not fill the memory
                self._verified.clear()
            self._verified[key] = config.authenticate_header(header)
        return self._verified[key]


def authorization_header(iface: QgsServerInterface) -> str:
    """The request's Authorization header. qgis_mapserver 3.22 keeps the request's headers as the client spelled
    them (case and all); FastCGI gives HTTP_AUTHORIZATION (when the web server passes it on): any spelling goes."""
    handler = iface.requestHandler()
    for name in ("Authorization", "HTTP_AUTHORIZATION"):
        value = handler.requestHeader(name)
        if value:
            return value
    for name, value in handler.requestHeaders().items():
        if name.lower() in ("authorization", "http_authorization") and value:
            return value
    return ""


class AuthenticationFilter(QgsServerFilter):
    """Refuses (401, before any service runs) a request with wrong credentials, and one without any unless the
    access file allows anonymous reading."""

    def __init__(self, iface: QgsServerInterface, users: Users) -> None:
        super().__init__(iface)
        self.users = users
        self._refused = False

    def requestReady(self) -> None:  # noqa: N802 - QGIS's name
        handler = self.serverInterface().requestHandler()
        header = authorization_header(self.serverInterface())
        try:
            anonymous_read = self.users.config().anonymous_read
            user = self.users.user(header) if header else None
        except (OSError, ConfigError) as error:
            QgsMessageLog.logMessage(str(error), LOG_TAG, Qgis.MessageLevel.Critical)
            handler.setServiceException(QgsServerException("The platform's access file cannot be read", 500))
            return
        self._refused = user is None and (header or not anonymous_read)
        if self._refused:
            handler.setServiceException(QgsServerException("Authentication required", 401))

    def responseComplete(self) -> None:  # noqa: N802 - QGIS's name
        # the exception's response drops the headers set before it: the challenge is added here
        if self._refused:
            self.serverInterface().requestHandler().setResponseHeader("WWW-Authenticate",
                                                                      'Basic realm="Situation Room"')


class OwnerAccessControl(QgsAccessControlFilter):
    """Edit rights by organisation: the owner's organisation edits its records, the Comune's users all. QGIS
    Server 3.22 asks allowToEdit with the stored feature before an Update (so naming oneself owner of another's
    record does not pass) and with the new feature for an Insert; a change of owner is refused by the database's
    trigger."""

    def __init__(self, iface: QgsServerInterface, users: Users) -> None:
        super().__init__(iface)
        self.users = users

    def _user(self) -> Optional[User]:
        header = authorization_header(self.serverInterface())
        try:
            return self.users.user(header) if header else None
        except (OSError, ConfigError):
            return None

    def layerPermissions(self, layer: QgsMapLayer) -> QgsAccessControlFilter.LayerPermissions:  # noqa: N802
        rights = QgsAccessControlFilter.LayerPermissions()
        rights.canRead = True
        editors = layer.customProperty(EDITORS_PROPERTY, "")
        user = self._user()
        may_edit = user is not None and (editors == "owner" or (editors == "comune" and user.acts_for_comune))
        rights.canInsert = rights.canUpdate = may_edit
        rights.canDelete = False
        return rights

    def allowToEdit(self, layer: QgsMapLayer, feature: QgsFeature) -> bool:  # noqa: N802
        user = self._user()
        if user is None or not self.layerPermissions(layer).canUpdate:
            return False
        if user.acts_for_comune:
            return True
        index = feature.fields().indexOf("owner")
        owner = feature.attribute(index) if index >= 0 else None
        return isinstance(owner, str) and owner.lower() == user.organisation

    def cacheKey(self) -> str:  # noqa: N802 - capabilities differ by user
        user = self._user()
        return user.organisation if user else ""


class SituationRoomAccessPlugin:
    """What serverClassFactory returns: registers the filter and the access control (priority 100)."""

    def __init__(self, iface: QgsServerInterface) -> None:
        path = os.environ.get(ENV_VAR, "")
        if not path:
            QgsMessageLog.logMessage(f"{ENV_VAR} is not set: every request is refused", LOG_TAG,
                                     Qgis.MessageLevel.Critical)
        self.users = Users(Path(path) if path else Path("/nonexistent/situation-room-acl.json"))
        self.filter = AuthenticationFilter(iface, self.users)
        self.access = OwnerAccessControl(iface, self.users)
        iface.registerFilter(self.filter, 100)
        iface.registerAccessControl(self.access, 100)

    def initGui(self) -> None:  # noqa: N802 - not a desktop plugin
        pass

    def unload(self) -> None:
        pass


