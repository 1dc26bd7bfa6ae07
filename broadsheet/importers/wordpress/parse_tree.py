"""The fast way through a WXR file: expat builds the elements in C, and Python only looks at
each whole record (an item with its comments, an author, a term) once it is complete.

The streaming reader in ``parse.py`` calls Python twice per element, which was a third of the
planning process's time. Here expat runs inside ElementTree's C parser with no Python
callbacks at all; after each chunk the channel's finished children are turned into the same
dicts the streaming reader collects, handed to the same code that makes records, and dropped,
so memory holds about one chunk of the file.

This reader only takes the well-trodden path. Anything else raises :class:`NeedsStreaming`
and ``read_wxr`` reads the file again with the streaming reader, skipping the records already
given: a file whose prolog is not plainly safe (a DTD above all: it is first checked by an expat
parser with defusedxml's guards, and without a DTD no entity can be declared, so none can be
expanded or fetched), a file that is not ``<rss><channel>``, an element nested where WXR nests
none, a single record longer than the field limit (only the streaming reader can drop a field
without holding it), and any error, so that errors are told one way, with their position.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import BinaryIO
from xml.etree.ElementTree import Element, TreeBuilder, XMLParser

from broadsheet.importers.wordpress.parse import (
    _CONTAINERS,
    _RECORDS,
    CHUNK_SIZE,
    Record,
    _Reader,
    _short_name,
    make_expat_parser,
)

MAX_PROLOG_BYTES = 1024 * 1024
_METAS = {"wp:postmeta", "wp:commentmeta"}
_SPECIAL = _CONTAINERS | {"category"}


class NeedsStreaming(Exception):  # noqa: N818 - a signal to switch readers, not a failure
    """This file (or what is left of it) is for the streaming reader."""


class _PrologRead(Exception):  # noqa: N818 - control flow inside the prolog check
    pass


def prolog(stream: BinaryIO) -> list[bytes]:
    """The chunks up to and including the root element's start, read through an expat parser
    with defusedxml's guards. Raises :class:`NeedsStreaming` if that parser refuses anything
    (a DTD) or fails, or the prolog is implausibly long."""
    reader = _Reader(lambda record: None, MAX_PROLOG_BYTES)
    guard = make_expat_parser(reader)

    def root_started(name: str, attrs: dict[str, str]) -> None:
        raise _PrologRead

    guard.StartElementHandler = root_started
    chunks: list[bytes] = []
    while sum(map(len, chunks)) < MAX_PROLOG_BYTES:
        chunk = stream.read(CHUNK_SIZE)
        chunks.append(chunk)
        try:
            guard.Parse(chunk, not chunk)
        except _PrologRead:
            return chunks
        except Exception:  # noqa: BLE001 - the streaming reader reports it properly
            raise NeedsStreaming from None
        if not chunk:
            break
    raise NeedsStreaming


class _TreeReader:
    def __init__(self, emit: Callable[[Record], None], max_field: int) -> None:
        self.records = _Reader(emit, max_field)
        self.channel_fields: dict[str, object] = {"#": "channel"}
        self.names: dict[str, str] = {}

    def short(self, tag: str) -> str:
        name = self.names.get(tag)
        if name is None:
            name = self.names[tag] = _short_name(
                tag[1:].replace("}", " ", 1) if tag[0] == "{" else tag
            )
        return name

    def take(self, children: list[Element]) -> None:
        """Finished children of the channel, in order: site fields and records."""
        reader = self.records
        for child in children:
            name = self.short(child.tag)
            if name in _RECORDS:
                if not reader.site_sent:
                    reader.fields.append(self.channel_fields)
                    reader.send_site()
                    reader.fields.pop()
                reader.close(self.fields(child, name))
            elif name in _CONTAINERS:
                continue  # <image>, or stray meta or comments: nothing a site needs
            elif len(child):
                raise NeedsStreaming
            else:
                self.channel_fields[name] = child.text or ""

    def fields(self, element: Element, kind: str) -> dict[str, object]:
        """A record's dict, exactly as the streaming reader collects it."""
        found: dict[str, object] = {"#": kind}
        names, short = self.names, self.short
        for child in element:
            name = names.get(child.tag) or short(child.tag)
            if name not in _SPECIAL:
                if len(child):
                    raise NeedsStreaming
                found[name] = child.text or ""
            elif name in _METAS:
                pair: dict[str, str] = {}
                for part in child:
                    if len(part):
                        raise NeedsStreaming
                    pair[names.get(part.tag) or short(part.tag)] = part.text or ""
                meta = (pair.get("wp:meta_key", ""), pair.get("wp:meta_value", ""))
                found.setdefault("#meta", []).append(meta)  # type: ignore[attr-defined]
            elif name == "wp:comment" and kind == "item":
                found.setdefault("#comments", []).append(self.fields(child, name))  # type: ignore[attr-defined]
            elif name == "category" and not len(child):
                if kind == "item":
                    get = child.attrib.get
                    term = [get("domain", "category"), get("nicename", ""), child.text or ""]
                    found.setdefault("#terms", []).append(term)  # type: ignore[attr-defined]
                else:
                    found[name] = child.text or ""
            else:
                raise NeedsStreaming  # a record inside a record, or the like
        return found

    def finish(self) -> None:
        if not self.records.site_sent:
            self.records.close(self.channel_fields)


def read_whole_records(
    stream: BinaryIO, *, max_field: int, on_progress: Callable[[int], None] | None
) -> Iterator[Record]:
    """Records in file order, as ``read_wxr`` gives them; see the module docstring for when
    this raises :class:`NeedsStreaming` instead (possibly after giving some records)."""
    chunks = prolog(stream)
    pending: list[Record] = []
    tree = _TreeReader(pending.append, max_field)
    parser = XMLParser(target=TreeBuilder())
    started: list[tuple[str, Element]] = []
    # Element starts are reported only until the channel is found; then none at all.
    parser._setevents(started, ("start",))  # type: ignore[attr-defined]
    root: Element | None = None
    channel: Element | None = None
    done = since_record = 0
    while True:
        chunk = chunks.pop(0) if chunks else stream.read(CHUNK_SIZE)
        try:
            if chunk:
                parser.feed(chunk)
            else:
                parser.close()
            done += len(chunk)
            since_record += len(chunk)
            if channel is None and started:
                if root is None:
                    root = started[0][1]
                channel = next((e for _, e in started if tree.short(e.tag) == "channel"), None)
                started.clear()
                if tree.short(root.tag) != "rss" or (
                    channel is not None and channel not in list(root)
                ):
                    raise NeedsStreaming
                if channel is not None:
                    parser._setevents(started, ())  # type: ignore[attr-defined]
            if channel is not None:
                finished = len(channel) if not chunk else len(channel) - 1
                if finished > 0:
                    tree.take(channel[:finished])
                    del channel[:finished]
                    since_record = 0
                elif since_record > max_field:
                    raise NeedsStreaming  # a record longer than a field may be: stream it
            if not chunk:
                if channel is None:
                    raise NeedsStreaming
                tree.finish()
        except Exception:  # noqa: BLE001 - the streaming reader reports every problem
            yield from pending  # whole records, each complete: they stand
            raise NeedsStreaming from None
        if on_progress:
            on_progress(done)
        yield from pending
        pending.clear()
        if not chunk:
            return
