"""The platform's users file (server_plugins/situation_room_acl/users.py): hashed passwords only, HTTP Basic
headers, the command that adds a user."""

from __future__ import annotations

import base64
import json

import pytest
from situation_room_acl import users
from situation_room_acl.users import AccessConfig, ConfigError, hash_password, verify_password


def basic(name: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{name}:{password}".encode()).decode()


def test_a_password_is_kept_as_a_salted_pbkdf2_hash():
    first, second = hash_password("acqua-2026", iterations=1000), hash_password("acqua-2026", iterations=1000)
    assert first.startswith("pbkdf2_sha256$1000$") and "acqua" not in first
    assert first != second  # salted
    assert verify_password("acqua-2026", first) and not verify_password("acqua-2027", first)
    assert not verify_password("acqua-2026", "not a hash")


def test_a_header_gives_the_user_with_its_organisation_and_whether_it_acts_for_the_comune():
    config = AccessConfig(comune="comune")
    config.add("anna", "Publiacqua", "acqua-2026")
    config.add("carla", "comune", "prato-2026")
    anna = config.authenticate_header(basic("anna", "acqua-2026"))
    assert (anna.name, anna.organisation, anna.acts_for_comune) == ("anna", "publiacqua", False)
    assert config.authenticate_header(basic("carla", "prato-2026")).acts_for_comune
    for header in (basic("anna", "wrong"), basic("nobody", "acqua-2026"), "Bearer abc", "Basic !!!", "Basic",
                   "Basic " + base64.b64encode(b"no colon").decode(), ""):
        assert config.authenticate_header(header) is None, header


def test_a_password_in_clear_in_the_file_is_refused_naming_the_user(tmp_path):
    path = tmp_path / "acl.json"
    path.write_text(json.dumps({"users": {"anna": {"organisation": "publiacqua", "password": "acqua"}}}))
    with pytest.raises(ConfigError, match=r"'anna'.*hash"):
        AccessConfig.load(path)
    path.write_text(json.dumps({"users": {"bruno": {"password": hash_password("x", iterations=1000)}}}))
    with pytest.raises(ConfigError, match=r"'bruno'.*organisation"):
        AccessConfig.load(path)
    path.write_text("{not json")
    with pytest.raises(ConfigError, match="cannot read"):
        AccessConfig.load(path)


def test_the_command_adds_a_user_to_a_private_file(tmp_path, monkeypatch, capsys):
    path = tmp_path / "acl.json"
    monkeypatch.setenv("SITUATION_ROOM_PASSWORD", "fibra-2026")
    assert users.main(["add", str(path), "bruno", "estracom"]) == 0
    assert path.stat().st_mode & 0o077 == 0
    config = AccessConfig.load(path)
    assert config.authenticate("bruno", "fibra-2026").organisation == "estracom"
    assert "fibra" not in path.read_text()
    assert users.main(["list", str(path)]) == 0
    assert "bruno: estracom" in capsys.readouterr().out
