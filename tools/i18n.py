#!/usr/bin/env python3
"""Translations: `update` extracts strings with pylupdate5, `release` compiles .qm with lrelease,
`missing` lists what is not translated yet, `merge FILE.json` adds translations ({source: translation}),
`import-ts OTHER.ts` takes the finished translations of another .ts (e.g. a branch's, when merging).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "situation_room_plugin"
TS_DIR = ROOT / "i18n"
QM_DIR = PACKAGE / "i18n"
LANGUAGES = ("it",)


def ts_path(lang: str) -> Path:
    return TS_DIR / f"situation_room_{lang}.ts"


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py"))


def extract(ts: Path) -> None:
    """Run pylupdate5 over every module of the package into `ts` (keeping its existing translations)."""
    subprocess.run(["pylupdate5", "-noobsolete", *sources(), "-ts", str(ts)], cwd=ROOT, check=True,
                   stderr=subprocess.DEVNULL)


def messages(ts: Path) -> list[tuple[str, str, ET.Element]]:
    """(context, source, translation element) of every message of a .ts file."""
    tree = ET.parse(ts)
    return [
        (ctx.findtext("name"), msg.findtext("source"), msg.find("translation"))
        for ctx in tree.getroot().iter("context")
        for msg in ctx.iter("message")
    ]


def write(path: Path, tree: ET.ElementTree) -> None:
    ET.indent(tree, space="    ")
    header = '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
    path.write_text(header + ET.tostring(tree.getroot(), encoding="unicode") + "\n", encoding="utf-8")


def update() -> None:
    """Extract, then drop source locations: they change with every edit and only make merges conflict."""
    TS_DIR.mkdir(exist_ok=True)
    for lang in LANGUAGES:
        path = ts_path(lang)
        extract(path)
        tree = ET.parse(path)
        for message in tree.getroot().iter("message"):
            for location in message.findall("location"):
                message.remove(location)
        write(path, tree)


def release() -> None:
    QM_DIR.mkdir(exist_ok=True)
    for lang in LANGUAGES:
        subprocess.run(["lrelease", "-silent", str(ts_path(lang)), "-qm", str(QM_DIR / f"situation_room_{lang}.qm")],
                       check=True)


def missing(lang: str) -> list[tuple[str, str]]:
    return [(ctx, src) for ctx, src, tr in messages(ts_path(lang)) if tr is None or tr.get("type") or not tr.text]


def merge(lang: str, translations: dict[str, str]) -> int:
    path = ts_path(lang)
    tree = ET.parse(path)
    done = 0
    for msg in tree.getroot().iter("message"):
        source = msg.findtext("source")
        if source in translations:
            element = msg.find("translation")
            element.text = translations[source]
            element.attrib.pop("type", None)
            done += 1
    write(path, tree)
    return done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=("update", "release", "missing", "merge", "import-ts"))
    parser.add_argument("file", nargs="?", help="JSON {source: translation} for merge, a .ts for import-ts")
    parser.add_argument("--lang", default="it")
    args = parser.parse_args()
    if args.command == "update":
        update()
    elif args.command == "release":
        release()
    elif args.command == "missing":
        rows = missing(args.lang)
        print(json.dumps({src: "" for _, src in rows}, ensure_ascii=False, indent=1))
        return 1 if rows else 0
    elif args.command == "import-ts":
        finished = {src: el.text for _, src, el in messages(Path(args.file))
                    if el is not None and el.text and not el.get("type")}
        print(f"{merge(args.lang, finished)} messages translated")
    else:
        count = merge(args.lang, json.loads(Path(args.file).read_text(encoding="utf-8")))
        print(f"{count} messages translated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
