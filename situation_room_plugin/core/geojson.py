"""GeoJSON documents read safely into FeedRecords: malformed text, odd members and broken geometries are
reported (per document or per feature) and never raise; the good features are kept.
"""

from __future__ import annotations

import codecs
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any

import numpy as np
import shapely
import shapely.errors
from shapely import GeometryType
from shapely.geometry import shape

from situation_room_plugin.core.mapping import FeedRecord
from situation_room_plugin.core.problems import Problem, Severity

WGS84 = "EPSG:4326"
_EPSG_RE = re.compile(r"EPSG:{1,2}(?:[\d.]*:)?(\d+)$", re.IGNORECASE)
_CRS84_RE = re.compile(r"(OGC:{1,2}(?:1\.3:)?CRS84|CRS84)$", re.IGNORECASE)


class FeedError(Exception):
    """The document cannot be read at all; `problem` says why (the previous copy of the source stays)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass
class ParsedFeed:
    """The features of a document, the CRS they are in, and the document-level problems (warnings)."""

    records: list[FeedRecord]
    crs: str = WGS84
    problems: list[Problem] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


def load_json(content: bytes | str, label: str) -> Any:
    """JSON text as Python data, or FeedError naming where it breaks (a cut-off download shows up here)."""
    return read_json(content, label)[0]


def read_json(content: bytes | str, label: str) -> tuple[Any, list[Problem]]:
    """JSON text as Python data and the warnings of how its bytes were read (see `decode_text`)."""
    text, problems = decode_text(content, label)
    return _loads(text, label), problems


#: Byte order marks, longest first (the UTF-32 LE mark begins like the UTF-16 LE one).
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xef\xbb\xbf", "utf-8"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_XML_ROOT_RE = re.compile(r"<([A-Za-z_][\w:.-]*)")


def decode_text(content: bytes | str, label: str) -> tuple[str, list[Problem]]:
    """The text of a document and the warnings of how it was read.

    UTF-8 is the rule (RFC 8259). A byte order mark says UTF-8, UTF-16 or UTF-32, and UTF-16 without one is
    recognised by its zero bytes (JSON begins with an ASCII character). Bytes that are not UTF-8 are read as
    Windows-1252, the encoding of Western European desktop exports (it reads ISO 8859-1 letters the same),
    with a warning naming the first byte that is not UTF-8; a document that is neither is refused naming that
    byte. FeedError for a document that cannot be GeoJSON: no text, or XML (a WFS answer in GML, an error page).
    """
    problems: list[Problem] = []
    if isinstance(content, str):
        text = content
    else:
        data = bytes(content)
        encoding = _sniff_encoding(data)
        for bom, codec in _BOMS:
            if data.startswith(bom):
                data, encoding = data[len(bom):], codec
                break
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as error:
            where = {"offset": error.start, "byte": f"0x{data[error.start]:02X}"}
            if encoding != "utf-8":
                raise FeedError(Problem(label, "", "bad_encoding", Severity.ERROR, {
                    "value": f"{encoding.upper()}: {error.reason} at byte {error.start}"})) from error
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise FeedError(Problem(label, "", "not_utf8", Severity.ERROR, where)) from error
            problems.append(Problem(label, "", "read_as_cp1252", Severity.WARNING, where))
    start = text.lstrip()[:4096]
    _check_start(start, label)
    return text, problems


def _sniff_encoding(data: bytes) -> str:
    """UTF-16 or UTF-32 without a byte order mark, from where the zero bytes of the first ASCII characters fall."""
    head = data[:4]
    if len(head) == 4:
        if head[:3] == b"\x00\x00\x00" and head[3]:
            return "utf-32-be"
        if head[0] and head[1:] == b"\x00\x00\x00":
            return "utf-32-le"
        if not head[0] and head[1] and not head[2] and head[3]:
            return "utf-16-be"
        if head[0] and not head[1] and head[2] and not head[3]:
            return "utf-16-le"
    return "utf-8"


def _loads(text: str, label: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        code = "truncated_json" if _cut_off(text) else "bad_json"
        raise FeedError(Problem(label, "", code, Severity.ERROR, {
            "value": f"{error.msg} (line {error.lineno}, column {error.colno})", "size": len(text)})) from error
    except (ValueError, RecursionError) as error:  # absurdly long numbers or nesting
        raise FeedError(Problem(label, "", "bad_json", Severity.ERROR, {"value": str(error)[:200]})) from error


def _cut_off(text: str) -> bool:
    """Whether broken JSON is a good start that stops early: a string or bracket still open at the end."""
    stack: list[str] = []
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            stack.append("]" if char == "[" else "}")
        elif char in "]}":
            if not stack or stack.pop() != char:
                return False
    return in_string or bool(stack)


def crs_of(data: dict[str, Any], label: str, default: str = WGS84) -> tuple[str, list[Problem]]:
    """The CRS named by a (pre-RFC 7946) `crs` member, or `default`; an unusable member is reported."""
    member = data.get("crs")
    if member is None:
        return default, []
    name = member.get("properties", {}).get("name") if isinstance(member, dict) else None
    if isinstance(name, str):
        if _CRS84_RE.search(name.strip()):
            return WGS84, []
        match = _EPSG_RE.search(name.strip())
        if match:
            return f"EPSG:{match.group(1)}", []
    return default, [Problem(label, "crs", "unknown_crs", Severity.WARNING, {"value": json.dumps(member)[:200],
                                                                            "crs": default})]


def parse_geojson(content: bytes | str, label: str, default_crs: str = "") -> ParsedFeed:
    """A FeatureCollection (or a single Feature) as FeedRecords with shapely geometries in its own CRS
    (`data`: the document's members other than its features)."""
    document = read_geojson(content, label, default_crs)
    records = [record for batch in document.batches(1000) for record in batch]
    return ParsedFeed(records, document.crs, document.problems, document.members)


@dataclass
class GeoJsonDocument:
    """A FeatureCollection being read: the CRS of its features, the document-level problems (warnings), its
    other members, and its features, taken one at a time (FeedError when the document breaks on the way).

    `problems` may grow while the features are read: a document read as it arrives learns only then that
    its bytes are not all UTF-8, or (`keep_cut`) that it ends early."""

    crs: str
    problems: list[Problem]
    members: dict[str, Any]
    features: Iterator[Any]
    #: Whether the text may hold NUL characters (JSON escapes them as \u0000): only then are the features' texts
    #: checked.
    nul: bool = True
    #: For a document read as it arrives: whether a NUL character was met so far (it replaces `nul`).
    nul_seen: Callable[[], bool] | None = None
    #: For a document read from bytes as it arrives: how many of its bytes were read so far (for a progress).
    bytes_read: Callable[[], int] | None = None

    def batches(self, size: int) -> Iterator[list[FeedRecord]]:
        """The features as FeedRecords, `size` at a time (a document is read once)."""
        first = 0
        while items := list(islice(self.features, size)):
            nul = self.nul if self.nul_seen is None else self.nul_seen()
            yield feature_records(items, self.crs, first, nul=nul)
            first += len(items)


#: Bytes of a document decoded at a time: the text of a document read as it arrives is held a chunk or two at
#: a time (and one feature, however large), never whole.
CHUNK = 1 << 20

#: Opens a document's bytes from their start, as chunks (a file read again, a body in memory sliced).
Chunks = Callable[[], Iterable[bytes]]


def read_geojson(
    content: bytes | str, label: str, default_crs: str = "", keep_cut: bool = False
) -> GeoJsonDocument:
    """A GeoJSON document (in memory) opened for reading its features batch by batch: `read_geojson_chunks`
    over its bytes (a text is read as it is)."""
    if isinstance(content, str):
        text = content
        return _read_text(lambda: (text[i:i + CHUNK] for i in range(0, len(text), CHUNK)),
                          lambda needle, start: text.find(needle, start) >= 0, label, default_crs, [], None, keep_cut)
    view = memoryview(content).cast("B")
    return read_geojson_chunks(lambda: (bytes(view[i:i + CHUNK]) for i in range(0, len(view), CHUNK)), label,
                               default_crs, keep_cut)


def read_geojson_chunks(open_chunks: Chunks, label: str, default_crs: str = "", keep_cut: bool = False
                        ) -> GeoJsonDocument:
    """A GeoJSON document, whose bytes `open_chunks` gives, opened for reading its features batch by batch.

    The bytes are decoded as they are read (the rules of `decode_text`; a document found not to be UTF-8 on
    the way is read as Windows-1252 from the first odd byte, with the same warning). A FeatureCollection that
    names its type (and its CRS, if any) before its features, as GDAL and most services write them, is decoded
    one feature at a time as its text arrives: only a chunk of its text and a batch of features are in memory
    at a time. Any other document is parsed at once.

    `keep_cut`: a document that ends early, in the middle of its features (a download cut off, a file copied
    in half), gives the features read before the cut and then a `truncated_json` problem in `problems`, saying
    where it ends; without it (and always when it breaks in another way) the features end with FeedError.
    """
    state = _Bytes()
    problems: list[Problem] = []
    chunks = _decoded(iter(open_chunks()), label, problems, state)

    def ahead(needle: str, start: int) -> bool:
        """Whether `needle` is in the bytes of the document past what was decoded (reading them again)."""
        pattern, first, tail, offset = needle.encode(state.encoding), max(state.read - 16, 0), b"", 0
        for chunk in open_chunks():
            end = offset + len(chunk)
            if end > first:
                if pattern in tail + chunk[max(first - offset, 0):]:
                    return True
                tail = chunk[-len(pattern):]
            offset = end
        return False

    return _read_text(lambda: chunks, ahead, label, default_crs, problems, state, keep_cut)


class _Bytes:
    """How a document's bytes are being read: their encoding and how many were read so far."""

    encoding = "utf-8"
    read = 0


_DECODERS = {"utf-8": codecs.utf_8_decode, "utf-16-le": codecs.utf_16_le_decode,
             "utf-16-be": codecs.utf_16_be_decode, "utf-32-le": codecs.utf_32_le_decode,
             "utf-32-be": codecs.utf_32_be_decode}


def _decoded(chunks: Iterator[bytes], label: str, problems: list[Problem], state: _Bytes) -> Iterator[str]:
    """The text of bytes arriving in chunks, decoded as `decode_text` decodes a whole document (offsets
    counted from after the byte order mark)."""
    head = b""
    for chunk in chunks:  # the encoding is told by the first four bytes
        state.read += len(chunk)
        head += chunk
        if len(head) >= 4:
            break
    encoding = _sniff_encoding(head)
    for bom, codec in _BOMS:
        if head.startswith(bom):
            head, encoding = head[len(bom):], codec
            break
    state.encoding = encoding
    decode = _DECODERS[encoding]
    pending, base, windows = b"", 0, False  # base: the offset of pending's first byte
    windows_at: dict[str, Any] = {}

    def counted(rest: Iterator[bytes]) -> Iterator[bytes]:
        for chunk in rest:
            state.read += len(chunk)
            yield chunk

    for chunk in chain([head], counted(chunks), [None]):
        final = chunk is None
        data = pending + (chunk or b"")
        if windows:
            try:
                yield data.decode("cp1252")
            except UnicodeDecodeError as error:
                raise FeedError(Problem(label, "", "not_utf8", Severity.ERROR, windows_at)) from error
            base += len(data)
            pending = b""
            continue
        try:
            text, used = decode(data, "strict", final)
        except UnicodeDecodeError as error:
            if final and encoding == "utf-8" and error.end == len(data) and error.reason == "unexpected end of data":
                # the bytes stop inside a character: a document cut off, which its JSON will say
                yield decode(data[:error.start], "strict", True)[0]
                return
            where = {"offset": base + error.start, "byte": f"0x{data[error.start]:02X}"}
            if encoding != "utf-8":
                raise FeedError(Problem(label, "", "bad_encoding", Severity.ERROR, {
                    "value": f"{encoding.upper()}: {error.reason} at byte {base + error.start}"})) from error
            yield data[:error.start].decode("utf-8")
            problems.append(Problem(label, "", "read_as_cp1252", Severity.WARNING, where))
            windows, windows_at = True, where
            pending, base = data[error.start:], base + error.start
            try:
                yield pending.decode("cp1252")
            except UnicodeDecodeError as second:
                raise FeedError(Problem(label, "", "not_utf8", Severity.ERROR, where)) from second
            base, pending = base + len(pending), b""
            continue
        if text:
            yield text
        pending, base = data[used:], base + used


class _Window:
    """A JSON text arriving in chunks, held from the value being read on: `text` begins at character `start`
    of the document (what is before it was let go of); line and column are counted as json counts them."""

    def __init__(self, chunks: Iterator[str]) -> None:
        self.chunks = chunks
        self.text = ""
        self.start = 0
        self.eof = False
        self.nul = False
        self._lines = 0  # newlines before `text`
        self._newline = -1  # where the last of them is, in the document

    def more(self, at_least: int = 1) -> bool:
        """Read at least `at_least` more characters (fewer at the end of the document); False at its end."""
        added: list[str] = []
        size = 0
        for chunk in self.chunks:
            if not self.nul and ("\\u0000" in self.text[-6:] + chunk or "\x00" in chunk):
                self.nul = True
            added.append(chunk)
            size += len(chunk)
            if size >= at_least:
                break
        else:
            self.eof = True
        if added:
            self.text = "".join([self.text, *added])
        return bool(added)

    def drop(self, i: int) -> int:
        """Let go of the text before `i`; where `i` now is."""
        self._lines += self.text.count("\n", 0, i)
        last = self.text.rfind("\n", 0, i)
        if last >= 0:
            self._newline = self.start + last
        self.start += i
        self.text = self.text[i:]
        return 0

    def where(self, i: int) -> str:
        """Position `i` of `text` as json says it: line and column in the document."""
        last = self.text.rfind("\n", 0, i)
        newline = self.start + last if last >= 0 else self._newline
        return f"line {self._lines + self.text.count(chr(10), 0, i) + 1}, column {self.start + i - newline}"


class _Cut(Exception):  # noqa: N818 - a signal, not an error
    """The text ends inside the document."""


class _Broken(ValueError):  # noqa: N818 - json's word
    """The text is not JSON where `where` says (what json would say: `msg`)."""

    def __init__(self, msg: str, where: str) -> None:
        super().__init__(f"{msg} ({where})")
        self.msg = msg


_COMMA = re.compile(r"[ \t\n\r]*,[ \t\n\r]*")
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.DOTALL)


def _open_at_end(text: str, i: int) -> bool:
    """Whether the JSON value that begins at `i` is still open at the end of `text` (more text might complete
    it) rather than broken before: a bracket or string not yet closed, or a number or literal at the very end."""
    stack: list[str] = []
    for token in _TOKEN.finditer(text, i):
        mark = token.group()
        if mark[0] == '"':
            if token.end() == len(text) and (len(mark) == 1 or mark[-1] != '"' or mark.endswith('\\"')):
                return True
            if not stack:
                return False  # a whole string, not followed by what it needed
        elif mark in "[{":
            stack.append("]" if mark == "[" else "}")
        elif not stack or stack.pop() != mark or not stack:
            return False  # closed (or closed by the wrong bracket): broken where it is, not cut
    if stack:
        return True
    return bool(re.fullmatch(r"\s*[-+.\w]*", text[i:]))


def _walk_window(w: _Window) -> Iterator[tuple[str, Any, bool, int]]:
    """`_walk` over a text arriving in chunks (`w`), letting go of what was read between the features; raises
    _Cut where the text ends before the document does, _Broken where it is not JSON."""

    def skip(i: int) -> int:
        while True:
            i = _WHITESPACE.match(w.text, i).end()  # type: ignore[union-attr]
            if i < len(w.text) or not w.more():
                return i

    def at(i: int) -> str:
        if i >= len(w.text):
            raise _Cut
        return w.text[i]

    def expect(i: int, char: str, msg: str) -> int:
        if at(i) != char:
            raise _Broken(msg, w.where(i))
        return skip(i + 1)

    def value(i: int) -> tuple[Any, int]:
        while True:
            try:
                item, end = raw_decode(w.text, i)
            except json.JSONDecodeError as error:
                if _open_at_end(w.text, i):
                    if w.more(len(w.text) - i):  # the value may be long: at least double what is held of it
                        continue
                    raise _Cut from error
                raise _Broken(error.msg, w.where(error.pos)) from error
            except (ValueError, RecursionError) as error:  # absurdly long numbers or nesting
                raise _Broken(str(error)[:200], w.where(i)) from error
            if end == len(w.text) and w.more():  # a number may go on in the next chunk
                continue
            return item, end

    raw_decode = _DECODER.raw_decode
    first_end = 0  # where the first feature ends: what is before it is kept until the next is read
    i = expect(skip(0), "{", "Expecting value")
    while at(i) != "}":
        if at(i) != '"':
            raise _Broken("Expecting property name enclosed in double quotes", w.where(i))
        key, i = value(i)
        i = expect(skip(i), ":", "Expecting ':' delimiter")
        if key == "features" and at(i) == "[":
            i = skip(i + 1)
            while at(i) != "]":
                if i > CHUNK and w.start + i > first_end:  # (the text up to the first feature is looked at)
                    i = w.drop(i)
                item, i = value(i)
                first_end = first_end or w.start + i
                yield key, item, True, w.start + i
                comma = _COMMA.match(w.text, i)  # the common case, in one step: a comma, the next item held
                if comma is not None and comma.end() < len(w.text) and w.text[comma.end()] != "]":
                    i = comma.end()
                    continue
                i = skip(i)
                if at(i) != "]":
                    i = expect(i, ",", "Expecting ',' delimiter")
                    if at(i) == "]":
                        raise _Broken("Expecting value", w.where(i))
            i += 1
        else:
            item, i = value(i)
            yield key, item, False, w.start + i
        i = skip(i)
        if at(i) != "}":
            i = expect(i, ",", "Expecting ',' delimiter")
            if at(i) == "}":
                raise _Broken("Expecting property name enclosed in double quotes", w.where(i))
    if skip(i + 1) != len(w.text):
        raise _Broken("Extra data", w.where(i + 1))


def _read_text(
    open_text: Callable[[], Iterable[str]], ahead: Callable[[str, int], bool], label: str, default_crs: str,
    problems: list[Problem], state: _Bytes | None, keep_cut: bool,
) -> GeoJsonDocument:
    """`read_geojson_chunks` once the text is being decoded: `open_text()` gives its chunks (once), `ahead`
    tells whether a text is in the document past what was decoded."""
    w = _Window(iter(open_text()))
    while len(w.text) < 4096 and w.more():
        pass
    start = w.text.lstrip()[:4096]
    _check_start(start, label)
    members: dict[str, Any] = {}
    walk = _walk_window(w)
    try:
        for key, value, in_array, end in walk:
            if in_array:
                # The CRS must be known before the features are read; one named after them cannot be told from
                # a "crs" inside a feature without parsing everything, so such a text is parsed whole.
                if members.get("type") == "FeatureCollection" and w.text.find('"crs"', end - w.start) < 0 and (
                    w.eof or not ahead('"crs"', end)
                ):
                    crs, found = crs_of(members, label, default_crs or WGS84)
                    problems += found
                    features = _streamed(value, walk, w, label, problems, state, keep_cut)
                    return GeoJsonDocument(crs, problems, members, features, nul_seen=lambda: w.nul,
                                           bytes_read=None if state is None else lambda: state.read)
                break
            members[key] = value
    except (_Cut, _Broken):
        pass
    walk.close()
    if w.start:  # (never: the first feature is not let go of before it is looked at)
        raise AssertionError("the beginning of the document was let go of")
    while w.more(len(w.text)):
        pass
    text = w.text
    data = _feature_collection(_loads(text, label), label)
    crs, found = crs_of(data, label, default_crs or WGS84)
    problems += found
    members = {key: value for key, value in data.items() if key != "features"}
    return GeoJsonDocument(crs, problems, members, _one_by_one(data["features"]), may_hold_nul(text))


def _streamed(
    first: Any, walk: Iterator[tuple[str, Any, bool, int]], w: _Window, label: str, problems: list[Problem],
    state: _Bytes | None, keep_cut: bool,
) -> Iterator[Any]:
    """The features of a FeatureCollection read by `_walk_window`, from the first. Where the text ends early,
    a `truncated_json` problem (`keep_cut`) or FeedError; where it is not JSON, FeedError (`bad_json`)."""
    yield first
    taken = 1
    try:
        for _key, value, in_array, _end in walk:
            if in_array:
                yield value
                taken += 1
    except _Cut as cut:
        where = w.where(len(w.text))
        if state is not None:
            where = f"byte {state.read}, {where}"
        problem = Problem(label, "", "truncated_json", Severity.ERROR,
                          {"value": f"at {where}, after feature {taken}", "size": w.start + len(w.text)})
        if not keep_cut:
            raise FeedError(problem) from cut
        problems.append(problem)
    except _Broken as broken:
        raise FeedError(Problem(label, "", "bad_json", Severity.ERROR, {"value": str(broken)})) from broken


def _check_start(start: str, label: str) -> None:
    """FeedError when the document's first characters show it is empty, or XML (a WFS/GML answer, an error
    page) rather than JSON."""
    if not start:
        raise FeedError(Problem(label, "", "empty_document", Severity.ERROR, {}))
    if start.startswith("<"):
        root = _XML_ROOT_RE.search(start)
        raise FeedError(Problem(label, "", "xml_not_geojson", Severity.ERROR,
                                {"value": root.group(1) if root else "?"}))


def may_hold_nul(text: str) -> bool:
    """Whether JSON text may have NUL characters in its strings (JSON writes them \\u0000; a raw one is not JSON)."""
    return "\\u0000" in text or "\x00" in text


def _feature_collection(data: Any, label: str) -> dict[str, Any]:
    """The document as a FeatureCollection (a single Feature is one), or FeedError when it is neither."""
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = {"type": "FeatureCollection", "features": [data], **({"crs": data["crs"]} if "crs" in data else {})}
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(
        data.get("features"), list
    ):
        found = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise FeedError(Problem(label, "", "not_feature_collection", Severity.ERROR, {"value": str(found)[:80]}))
    return data


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _one_by_one(items: list[Any]) -> Iterator[Any]:
    """The items of a list, each let go of once taken."""
    for index in range(len(items)):
        item, items[index] = items[index], None
        yield item


def feature_records(items: list[Any], crs: str, first: int = 0, nul: bool = True) -> list[FeedRecord]:
    """`feature_record` of many features (`first`: the index of the first in its document), geometries parsed
    in one vectorised call (the slow path, with its messages, only for geometries GEOS refuses or that fail
    the checks; `nul` False: the document has no NUL character, its texts need no check)."""
    records = [feature_record(index, item, crs, geometry=False, nul=nul) for index, item in enumerate(items, first)]
    objects = [item["geometry"] if isinstance(item, dict) and item.get("type") == "Feature"
               and isinstance(item.get("geometry"), dict) else None for item in items]
    texts: list[Any] = objects
    geometries = _same_kind_geometries(objects)
    if geometries is None:
        texts = [None if g is None else json.dumps(g) for g in objects]
        geometries = shapely.from_geojson(np.asarray(texts, dtype=object), on_invalid="ignore")
    bounds = shapely.bounds(geometries)
    with np.errstate(invalid="ignore"):
        finite = np.isfinite(bounds).all(axis=1)
        plausible = finite if crs != WGS84 else finite & (bounds[:, 0] >= -180) & (bounds[:, 2] <= 180) & (
            bounds[:, 1] >= -90) & (bounds[:, 3] <= 90)
    for record, item, text, geometry, ok in zip(records, items, texts, geometries.tolist(), plausible.tolist()):
        if text is None:
            if isinstance(item, dict) and item.get("geometry") is not None and item.get("type") == "Feature":
                record.problems.append(("geometry", "geometry_unreadable", Severity.ERROR,
                                        {"value": f"a {type(item['geometry']).__name__}, not a geometry object"}))
            continue
        if geometry is not None and (ok or geometry.is_empty):
            record.geometry = geometry
            continue
        record.geometry, problem = read_geometry(item["geometry"], crs)
        if problem:
            record.problems.append(problem)
    return records


_RAGGED = {"Point": GeometryType.POINT, "LineString": GeometryType.LINESTRING, "Polygon": GeometryType.POLYGON,
           "MultiPoint": GeometryType.MULTIPOINT, "MultiLineString": GeometryType.MULTILINESTRING,
           "MultiPolygon": GeometryType.MULTIPOLYGON}
#: How deep the coordinates of each kind nest below the geometry (Point: a position; Polygon: rings of positions).
_NESTING = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}


def _same_kind_geometries(objects: list[dict[str, Any] | None]) -> np.ndarray | None:
    """The geometries of a feed whose geometries are all of one simple kind (2D Points, LineStrings, Polygons
    or their Multi kinds), built from their coordinates in one call (no JSON round trip); None when the feed
    is not that simple or any geometry is malformed (the caller then reads them one by one, with messages)."""
    present = [g for g in objects if g is not None]
    kinds = {g.get("type") for g in present}
    if len(kinds) != 1 or not present:
        return None
    kind = kinds.pop()
    if kind not in _RAGGED:
        return None
    try:
        points = [g["coordinates"] for g in present]
        offsets: list[np.ndarray] = []
        for _level in range(_NESTING[kind]):  # from the geometries down to the positions
            if set(map(type, points)) != {list}:
                return None
            offsets.insert(0, np.cumsum([0, *map(len, points)]))
            points = list(chain.from_iterable(points))
        if set(map(type, points)) != {list} or set(map(len, points)) != {2}:
            return None
        coords = np.fromiter(chain.from_iterable(points), dtype=float, count=2 * len(points)).reshape(-1, 2)
        if not np.isfinite(coords).all():
            return None
        built = shapely.from_ragged_array(_RAGGED[kind], coords, tuple(offsets) or None)
    except (TypeError, ValueError, KeyError, shapely.errors.GEOSException):
        return None
    result = np.full(len(objects), None, dtype=object)
    result[[i for i, g in enumerate(objects) if g is not None]] = built
    return result


def feature_record(index: int, item: Any, crs: str, geometry: bool = True, nul: bool = True) -> FeedRecord:
    """One GeoJSON feature as a FeedRecord; what cannot be read is a problem of that feature.
    (`geometry` False: the geometry is left for the caller to read.)

    NUL characters are removed from its texts (GeoPackage, QGIS and GDAL would end a text at the first one,
    silently) and each field that had some gets a warning; `nul` False skips the check.
    """
    if not isinstance(item, dict) or item.get("type") != "Feature":
        kind = item.get("type") if isinstance(item, dict) else type(item).__name__
        return FeedRecord(str(index + 1), {}, None, [("", "not_a_feature", Severity.ERROR, {"value": str(kind)})])
    fid = item.get("id")
    if nul and isinstance(fid, str):
        fid = fid.replace("\x00", "")
    fid = str(fid) if isinstance(fid, (str, int)) and str(fid).strip() else str(index + 1)
    properties = item.get("properties")
    problems: list[tuple[str, str, Severity, dict[str, Any]]] = []
    if properties is None:
        properties = {}
    elif not isinstance(properties, dict):
        problems.append(("", "bad_properties", Severity.ERROR, {"value": type(properties).__name__}))
        properties = {}
    elif nul:
        removed: dict[str, int] = {}
        properties = _without_nul(properties, "", removed)
        problems += [(name, "nul_removed", Severity.WARNING, {"count": count}) for name, count in removed.items()]
    if not geometry:
        return FeedRecord(fid, properties, None, problems)
    shape_, problem = read_geometry(item.get("geometry"), crs)
    if problem:
        problems.append(problem)
    return FeedRecord(fid, properties, shape_, problems)


def _without_nul(value: Any, path: str, removed: dict[str, int]) -> Any:
    """`value` with the NUL characters of its texts (nested ones too) removed; `removed` counts them by field
    (nested fields named by their path, e.g. core_details.name)."""
    if isinstance(value, str):
        if "\x00" not in value:
            return value
        removed[path] = removed.get(path, 0) + value.count("\x00")
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {(key.replace("\x00", "") if isinstance(key, str) else key):
                _without_nul(item, f"{path}.{key}" if path else str(key).replace("\x00", ""), removed)
                for key, item in value.items()}
    if isinstance(value, list):
        return [_without_nul(item, path, removed) for item in value]
    return value


def read_geometry(data: Any, crs: str = WGS84) -> tuple[Any, tuple[str, str, Severity, dict[str, Any]] | None]:
    """A shapely geometry from a GeoJSON geometry object, or None and the problem that stops it."""
    if data is None:
        return None, None
    try:
        geometry = shape(data)
    except Exception as error:  # noqa: BLE001 - shapely/GEOS raise many kinds for malformed input
        return None, ("geometry", "geometry_unreadable", Severity.ERROR, {"value": _short(error)})
    if geometry.is_empty:
        return geometry, None
    coords = shapely.get_coordinates(geometry)
    if not all(math.isfinite(v) for v in coords.flat):
        return None, ("geometry", "geometry_unreadable", Severity.ERROR, {"value": "not finite coordinates"})
    if crs == WGS84:
        xmin, ymin, xmax, ymax = geometry.bounds
        if xmin < -180 or xmax > 180 or ymin < -90 or ymax > 90:
            x, y = coords[0]
            return None, ("geometry", "not_lonlat", Severity.ERROR, {"value": f"({x:g}, {y:g})"})
    return geometry, None


def _short(error: Exception) -> str:
    text = str(error) or type(error).__name__
    return text if len(text) < 160 else text[:157] + "..."
