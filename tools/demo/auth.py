"""The Comune's demo user as an authcfg (HTTP Basic) in the demo profile's QGIS authentication database, the
database's master password in a file of the demo folder that qgis_process reads through QGIS_AUTH_PASSWORD_FILE.

python -m tools.demo.auth PROFILE_DIR MASTER_FILE USER PASSWORD_FILE  (run by `comune_authcfg` in a process of its
own: QGIS's authentication manager opens the database of the profile its application started with.)
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

#: The authcfg's id (QGIS ids are 7 characters), the same on every run: the project's source names it.
AUTHCFG = "sroomcm"
#: The environment variable QGIS 3.22's authentication manager reads the master password file from.
PASSWORD_FILE_ENV = "QGIS_AUTH_PASSWORD_FILE"


def master_file(folder: Path) -> Path:
    """The master password's file in the demo folder (made once, readable by this user only)."""
    path = folder / "auth-master.txt"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(18) + "\n")
    path.chmod(0o600)
    return path


def user_password(users: Path, user: str) -> str:
    """The demo user's password from the platform's users.txt (`user password` a line)."""
    for line in users.read_text().splitlines():
        name, _, password = line.partition(" ")
        if name == user:
            return password.strip()
    raise ValueError(f"{users}: no user {user}")


def comune_authcfg(profile: Path, master: Path, users: Path, user: str = "comune") -> str:
    """The authcfg of `user` (HTTP Basic, password from `users`) in the profile's authentication database,
    made or updated; its id."""
    profile_dir = profile / "profiles" / "default"
    profile_dir.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run([sys.executable, "-m", "tools.demo.auth", str(profile_dir), str(master), user,
                           str(users)], capture_output=True, text=True, timeout=300, env=env,
                          cwd=Path(__file__).resolve().parents[2])
    if done.returncode != 0:
        raise ValueError(f"the demo's authcfg could not be made:\n{(done.stdout + done.stderr)[-2000:]}")
    return AUTHCFG


def store_authcfg(profile_dir: Path, master: Path, user: str, password: str) -> None:
    from qgis.core import QgsApplication, QgsAuthMethodConfig

    app = QgsApplication([], False, str(profile_dir))
    app.initQgis()
    try:
        manager = QgsApplication.authManager()
        if not manager.masterPasswordIsSet() and not manager.setMasterPassword(master.read_text().strip(), True):
            raise SystemExit(f"{master}: not the master password of {profile_dir / 'qgis-auth.db'}")
        config = QgsAuthMethodConfig("Basic")
        config.setId(AUTHCFG)
        config.setName(f"Situation Room demo: {user}")
        config.setConfig("username", user)
        config.setConfig("password", password)
        if AUTHCFG in manager.configIds():
            ok = manager.updateAuthenticationConfig(config)
        else:
            stored = manager.storeAuthenticationConfig(config)
            ok = stored if isinstance(stored, bool) else stored[0]
        if not ok:
            raise SystemExit(f"the authcfg {AUTHCFG} could not be stored in {profile_dir / 'qgis-auth.db'}")
    finally:
        app.exitQgis()


if __name__ == "__main__":
    folder, master_path, name, users_path = sys.argv[1:5]
    store_authcfg(Path(folder), Path(master_path), name, user_password(Path(users_path), name))
