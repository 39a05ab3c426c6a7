"""The registry of organisations (enti) that own works, with Prato's members as defaults."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Owner:
    """An organisation: `code` is what work records carry, `name` what people read."""

    code: str
    name: str
    domain: str = ""


PRATO_OWNERS: tuple[Owner, ...] = (
    Owner("comune", "Comune di Prato", "city"),
    Owner("publiacqua", "Publiacqua", "water"),
    Owner("toscana_energia", "Toscana Energia", "gas"),
    Owner("estracom", "Estracom", "fibre"),
    Owner("alia", "Alia", "waste"),
    Owner("cap", "CAP Consorzio Autolinee Pratesi", "buses"),
    Owner("consiag", "Consiag Servizi Comuni", "parking"),
)


class OwnerRegistry:
    """The organisations a project knows. Codes are compared case-insensitively and stored lower-case."""

    def __init__(self, owners: Iterable[Owner] = PRATO_OWNERS) -> None:
        self._owners: dict[str, Owner] = {}
        for owner in owners:
            self.add(owner)

    def add(self, owner: Owner) -> None:
        code = normalise_code(owner.code)
        if not code:
            raise ValueError("an organisation needs a code")
        self._owners[code] = Owner(code, owner.name or code, owner.domain)

    def remove(self, code: str) -> None:
        self._owners.pop(normalise_code(code), None)

    def get(self, code: str) -> Owner | None:
        return self._owners.get(normalise_code(code))

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and normalise_code(code) in self._owners

    def __iter__(self) -> Iterator[Owner]:
        return iter(self._owners.values())

    def __len__(self) -> int:
        return len(self._owners)

    @property
    def codes(self) -> list[str]:
        return list(self._owners)


def normalise_code(code: str) -> str:
    return code.strip().lower().replace(" ", "_").replace("-", "_")
