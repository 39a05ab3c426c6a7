"""The platform's users: who they are, their organisation, whether they act for the Comune, and their
password's PBKDF2 hash, read from the JSON file that SITUATION_ROOM_ACL names. Plain Python, so that the
command that adds a user (python -m situation_room_acl.users) and the tests share it with the server.

The file:
    {"comune": "comune",                       # the organisation that acts for the Comune (edits every work)
     "anonymous_read": false,                  # may a request without credentials read? (never edit)
     "users": {"anna": {"organisation": "publiacqua",
                        "password": "pbkdf2_sha256$600000$<salt hex>$<hash hex>"}}}
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
import sys
from dataclasses import dataclass, field
from pathlib import Path

ENV_VAR = "SITUATION_ROOM_ACL"
ALGORITHM = "pbkdf2_sha256"
#: PBKDF2 rounds of a new hash (a verified header is then remembered, see plugin.py: one check a user and file).
ITERATIONS = 200_000


class ConfigError(ValueError):
    """The access file is missing or wrong: the message names the file and the entry."""


@dataclass(frozen=True)
class User:
    name: str
    organisation: str
    acts_for_comune: bool


@dataclass
class AccessConfig:
    comune: str = "comune"
    anonymous_read: bool = False
    users: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> AccessConfig:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ConfigError(f"{path}: cannot read the access file ({error})") from error
        if not isinstance(data, dict) or not isinstance(data.get("users", {}), dict):
            raise ConfigError(f"{path}: the access file must be an object with a 'users' object")
        config = cls(str(data.get("comune", "comune")), bool(data.get("anonymous_read", False)), {})
        for name, entry in data.get("users", {}).items():
            if not isinstance(entry, dict) or not entry.get("organisation") or not entry.get("password"):
                raise ConfigError(f"{path}: user {name!r} needs an 'organisation' and a hashed 'password'")
            if not str(entry["password"]).startswith(ALGORITHM + "$"):
                raise ConfigError(f"{path}: user {name!r}: the password must be a {ALGORITHM} hash "
                                  f"(python -m situation_room_acl.users add ...), never in clear")
            config.users[name] = {"organisation": str(entry["organisation"]).lower(),
                                  "password": str(entry["password"])}
        return config

    def save(self, path: Path) -> None:
        data = {"comune": self.comune, "anonymous_read": self.anonymous_read, "users": self.users}
        path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        os.chmod(path, 0o600)

    def add(self, name: str, organisation: str, password: str) -> None:
        self.users[name] = {"organisation": organisation.lower(), "password": hash_password(password)}

    def authenticate(self, name: str, password: str) -> User | None:
        """The user when the password is right, else None (the same time whether or not the name exists)."""
        entry = self.users.get(name)
        stored = entry["password"] if entry else hash_password("", salt=b"\0" * 16)
        if not verify_password(password, stored) or entry is None:
            return None
        return User(name, entry["organisation"], entry["organisation"] == self.comune)

    def authenticate_header(self, header: str) -> User | None:
        """The user of an HTTP `Authorization: Basic ...` header, or None when absent, malformed or wrong."""
        scheme, _, token = (header or "").strip().partition(" ")
        if scheme.lower() != "basic" or not token:
            return None
        try:
            name, sep, password = base64.b64decode(token.strip(), validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return self.authenticate(name, password) if sep else None


def hash_password(password: str, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"{ALGORITHM}${iterations}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        algorithm, iterations, salt, digest = stored.split("$")
        expected = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), bytes.fromhex(salt), int(iterations))
    except ValueError:
        return False
    return algorithm == ALGORITHM and hmac.compare_digest(expected.hex(), digest)


def main(argv: list[str] | None = None) -> int:
    """`add FILE USER ORGANISATION` (asks the password, or reads it from SITUATION_ROOM_PASSWORD) and `list FILE`."""
    parser = argparse.ArgumentParser(prog="python -m situation_room_acl.users", description=main.__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="add or replace a user")
    add.add_argument("file", type=Path)
    add.add_argument("user")
    add.add_argument("organisation")
    listing = sub.add_parser("list", help="the users and their organisations")
    listing.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    config = AccessConfig.load(args.file) if args.file.exists() else AccessConfig()
    if args.command == "list":
        for name, entry in sorted(config.users.items()):
            comune = " (acts for the Comune)" if entry["organisation"] == config.comune else ""
            print(f"{name}: {entry['organisation']}{comune}")
        return 0
    password = os.environ.get("SITUATION_ROOM_PASSWORD")
    if password is None:
        import getpass

        password = getpass.getpass(f"password for {args.user}: ")
    config.add(args.user, args.organisation, password)
    config.save(args.file)
    print(f"{args.file}: {args.user} ({args.organisation.lower()}) saved")
    return 0


if __name__ == "__main__":
    sys.exit(main())
