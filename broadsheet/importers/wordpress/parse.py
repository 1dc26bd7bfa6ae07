"""Read a WXR file as a stream of plain records, in constant memory.

The streaming reader here is expat driven directly (one Python call per element start and
end, holding at most one field of at most ``MAX_FIELD_BYTES``) with the protections defusedxml
applies: any DTD is refused — WXR never has one — so no entity can be declared, expanded or
fetched, and nothing is loaded from the network. Problems with the whole file raise
:class:`WXRError` with a line and column; problems with one item come out as a
:class:`BadItem` and the stream goes on. Ordinary files take a faster road to the same
records (``parse_tree``); ``read_wxr`` picks the road.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import BinaryIO
from xml.parsers import expat

from defusedxml.common import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from broadsheet.importers.wordpress.records import (
    AuthorRecord,
    BadItem,
    CommentRecord,
    PostRecord,
    Site,
    TermRecord,
    TermRef,
)

CHUNK_SIZE = 256 * 1024
MAX_FIELD_BYTES = 5 * 1024 * 1024  # a single post of 5 MB is already far beyond any real one
SUPPORTED_VERSIONS = {"1.0", "1.1", "1.2"}

Record = Site | AuthorRecord | TermRecord | PostRecord | BadItem

_NAMESPACES = (
    (re.compile(r"^https?://wordpress\.org/export/1\.\d+/excerpt/?$"), "excerpt"),
    (re.compile(r"^https?://wordpress\.org/export/1\.\d+/?$"), "wp"),
    (re.compile(r"^https?://purl\.org/rss/1\.0/modules/content/?$"), "content"),
    (re.compile(r"^https?://purl\.org/dc/elements/1\.1/?$"), "dc"),
)
_CONTAINERS = {
    "channel",
    "item",
    "image",
    "wp:author",
    "wp:category",
    "wp:tag",
    "wp:term",
    "wp:postmeta",
    "wp:comment",
    "wp:commentmeta",
}

_RECORDS = {"item", "wp:author", "wp:category", "wp:tag", "wp:term"}
_SPECIAL = _CONTAINERS | {"category"}


class WXRError(ValueError):
    """The file as a whole cannot be read; names where, when the parser knows."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        self.message, self.line, self.column = message, line, column
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(f"{where}{message}")


def wp_datetime(value: str) -> dt.datetime | None:
    """``2013-01-11 20:22:19`` as an aware UTC datetime; WordPress's zero date as None."""
    value = value.strip()
    if not value or value.startswith("0000-00-00"):
        return None
    return dt.datetime.fromisoformat(value[:19]).replace(tzinfo=dt.UTC)


def _int(value: str, default: int = 0) -> int:
    value = value.strip()
    return int(value) if value else default


def _short_name(name: str) -> str:
    uri, _, local = name.rpartition(" ")
    if not uri:
        return local
    for pattern, prefix in _NAMESPACES:
        if pattern.match(uri):
            return f"{prefix}:{local}"
    return f"{{{uri}}}{local}"


class _Reader:
    """expat callbacks that collect each container's leaf texts into a dict."""

    def __init__(self, emit: Callable[[Record], None], max_field: int) -> None:
        self.emit = emit
        self.max_field = max_field
        self.names: dict[str, str] = {}
        self.stack: list[str] = []
        self.text: list[str] = []
        self.fields: list[dict[str, object]] = []
        self.site = Site()
        self.site_sent = False
        self.oversized: list[str] = []  # the field being read when it outgrew the limit

    # -- expat handlers ------------------------------------------------------------------
    def handlers(self) -> tuple[Callable[[str, dict[str, str]], None], Callable[[str], None]]:
        """The start and end callbacks, as closures over local names: they run once per
        element, millions of times for a large site, so every attribute lookup counts."""
        names, stack, text, fields, oversized = (
            self.names,
            self.stack,
            self.text,
            self.fields,
            self.oversized,
        )
        push, pop, clear, join = stack.append, stack.pop, text.clear, "".join
        open_container, close = self.open_container, self.close

        def start(name: str, attrs: dict[str, str]) -> None:
            short = names.get(name)
            if short is None:
                short = names[name] = _short_name(name)
            push(short)
            clear()
            if short in _SPECIAL:
                open_container(short, attrs)

        def end(name: str) -> None:
            short = pop()
            if short in _CONTAINERS:
                close(fields.pop())
                return
            if not fields:
                return
            owner = fields[-1]
            if oversized and oversized[-1] == short:
                owner["#oversized"] = oversized.pop()
            if short == "category" and owner["#"] == "item":
                owner["#terms"][-1][2] = join(text)  # type: ignore[index]
            else:
                owner[short] = join(text)

        return start, end

    def open_container(self, short: str, attrs: dict[str, str]) -> None:
        if short == "category":
            if self.fields and self.fields[-1]["#"] == "item":
                self.fields[-1].setdefault("#terms", []).append(  # type: ignore[union-attr]
                    [attrs.get("domain", "category"), attrs.get("nicename", ""), ""]
                )
            return
        if short in _RECORDS and not self.site_sent:
            self.send_site()
        self.fields.append({"#": short})

    def check_field_size(self) -> None:
        """Between chunks: drop the text of a field that has grown past the limit."""
        if self.text and sum(map(len, self.text)) > self.max_field:
            self.text.clear()
            if self.stack and self.oversized[-1:] != self.stack[-1:]:
                self.oversized.append(self.stack[-1])

    # -- containers ----------------------------------------------------------------------
    def send_site(self) -> None:
        channel = next((f for f in self.fields if f["#"] == "channel"), {})
        get: Callable[[str], str] = lambda key: str(channel.get(key, "")).strip()  # noqa: E731
        self.site = Site(
            title=get("title"),
            link=get("link"),
            description=get("description"),
            language=get("language"),
            wxr_version=get("wp:wxr_version"),
            base_site_url=get("wp:base_site_url"),
            base_blog_url=get("wp:base_blog_url"),
        )
        if not self.site.wxr_version:
            raise WXRError("not a WordPress export: the channel has no <wp:wxr_version>")
        if self.site.wxr_version not in SUPPORTED_VERSIONS:
            raise WXRError(f"WXR version {self.site.wxr_version} is not one this importer knows")
        self.site_sent = True
        self.emit(self.site)

    def close(self, found: dict[str, object]) -> None:
        kind = found["#"]
        get: Callable[[str], str] = lambda key: str(found.get(key, ""))  # noqa: E731
        if kind == "channel":
            if not self.site_sent:
                self.fields.append(found)
                self.send_site()
                self.fields.pop()
        elif kind == "wp:author":
            self.emit(
                AuthorRecord(
                    login=get("wp:author_login"),
                    wp_id=_int(get("wp:author_id"), 0) or None,
                    email=get("wp:author_email"),
                    display_name=get("wp:author_display_name"),
                    first_name=get("wp:author_first_name"),
                    last_name=get("wp:author_last_name"),
                    description=get("wp:author_description"),
                )
            )
        elif kind in {"wp:category", "wp:tag", "wp:term"}:
            self.emit(self.term(kind, get))
        elif kind in {"wp:postmeta", "wp:commentmeta"} and self.fields:
            pair = (get("wp:meta_key"), get("wp:meta_value"))
            self.fields[-1].setdefault("#meta", []).append(pair)  # type: ignore[union-attr]
        elif kind == "wp:comment" and self.fields:
            self.fields[-1].setdefault("#comments", []).append(found)  # type: ignore[union-attr]
        elif kind == "item":
            self.emit(self.item(found, get))

    def term(self, kind: str, get: Callable[[str], str]) -> TermRecord:
        wp_id = _int(get("wp:term_id"), 0) or None
        if kind == "wp:category":
            return TermRecord(
                "category",
                get("wp:category_nicename"),
                get("wp:cat_name"),
                wp_id,
                get("wp:category_parent"),
                get("wp:category_description"),
            )
        if kind == "wp:tag":
            return TermRecord(
                "post_tag",
                get("wp:tag_slug"),
                get("wp:tag_name"),
                wp_id,
                "",
                get("wp:tag_description"),
            )
        return TermRecord(
            get("wp:term_taxonomy"),
            get("wp:term_slug"),
            get("wp:term_name"),
            wp_id,
            get("wp:term_parent"),
            get("wp:term_description"),
        )

    def item(self, found: dict[str, object], get: Callable[[str], str]) -> PostRecord | BadItem:
        title, post_type = get("title"), get("wp:post_type") or "post"
        try:
            wp_id = _int(get("wp:post_id"))
        except ValueError:
            return BadItem(None, title, post_type, f"post id {get('wp:post_id')!r} is not a number")
        try:
            if "#oversized" in found:
                raise ValueError(
                    f"<{found['#oversized']}> is larger than {self.max_field / 2**20:g} MB"
                )
            return PostRecord(
                wp_id=wp_id,
                post_type=post_type,
                title=title,
                link=get("link").strip(),
                guid=get("guid").strip(),
                creator=get("dc:creator").strip(),
                content=get("content:encoded"),
                excerpt=get("excerpt:encoded"),
                date=wp_datetime(get("wp:post_date_gmt")) or wp_datetime(get("wp:post_date")),
                date_floating=wp_datetime(get("wp:post_date_gmt")) is None,
                modified=wp_datetime(get("wp:post_modified_gmt")),
                comment_status=get("wp:comment_status") or "open",
                ping_status=get("wp:ping_status") or "open",
                slug=get("wp:post_name").strip(),
                status=get("wp:status").strip() or "publish",
                parent_wp_id=_int(get("wp:post_parent")),
                menu_order=_int(get("wp:menu_order")),
                password=get("wp:post_password"),
                sticky=get("wp:is_sticky").strip() == "1",
                attachment_url=get("wp:attachment_url").strip(),
                terms=[TermRef(*term) for term in found.get("#terms", [])],  # type: ignore[attr-defined]
                meta=list(found.get("#meta", [])),  # type: ignore[call-overload]
                comments=[self.comment(c) for c in found.get("#comments", [])],  # type: ignore[attr-defined]
            )
        except ValueError as error:
            return BadItem(wp_id, title, post_type, str(error))

    @staticmethod
    def comment(found: dict) -> CommentRecord:  # type: ignore[type-arg]
        if "#oversized" in found:
            raise ValueError(f"a comment's <{found['#oversized']}> is too large")
        get = found.get
        return CommentRecord(
            wp_id=_int(get("wp:comment_id", "")),
            author=get("wp:comment_author", ""),
            author_email=get("wp:comment_author_email", "").strip(),
            author_url=get("wp:comment_author_url", "").strip(),
            author_ip=get("wp:comment_author_IP", "").strip(),
            date=wp_datetime(get("wp:comment_date_gmt", ""))
            or wp_datetime(get("wp:comment_date", "")),
            content=get("wp:comment_content", ""),
            approved=get("wp:comment_approved", "").strip() or "1",
            type=get("wp:comment_type", "").strip(),
            parent_wp_id=_int(get("wp:comment_parent", "")),
            user_id=_int(get("wp:comment_user_id", "")),
            meta=get("#meta", []),
        )


def _refuse_doctype(name: str, *args: object) -> None:
    raise DTDForbidden(name, None, None)


def _refuse_entity(name: str, *args: object) -> None:
    raise EntitiesForbidden(name, None, None, None, None, None)


def _refuse_external(context: str, base: str, sysid: str, pubid: str) -> None:
    raise ExternalReferenceForbidden(context, base, sysid, pubid)


def make_expat_parser(reader: _Reader) -> expat.XMLParserType:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.buffer_size = CHUNK_SIZE
    parser.StartElementHandler, parser.EndElementHandler = reader.handlers()
    parser.CharacterDataHandler = reader.text.append
    # defusedxml's guards: no DTD at all, hence no entity declarations and no fetching.
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_entity
    parser.UnparsedEntityDeclHandler = _refuse_entity
    parser.ExternalEntityRefHandler = _refuse_external
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


def _explain(error: expat.ExpatError) -> str:
    message = expat.errors.messages.get(error.code, str(error))
    if error.code == expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS]:
        return "the file ends before the export does (truncated?), or is empty"
    if error.code in {
        expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_TOKEN],
        expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_CDATA_SECTION],
    }:
        return f"{message}: the file ends in the middle of the export (truncated?)"
    if error.code in {
        expat.errors.codes[expat.errors.XML_ERROR_INVALID_TOKEN],
        expat.errors.codes[expat.errors.XML_ERROR_PARTIAL_CHAR],
    }:
        return f"{message}: bytes that are not valid in the file's declared encoding, or not XML"
    if error.code == expat.errors.codes[expat.errors.XML_ERROR_UNKNOWN_ENCODING]:
        return f"{message}: the file declares an encoding this importer cannot read"
    if error.code == expat.errors.codes[expat.errors.XML_ERROR_UNDEFINED_ENTITY]:
        return f"{message}: HTML entities must be inside CDATA or escaped in XML"
    return message


def _as_wxr_error(error: Exception, parser: expat.XMLParserType) -> Exception:
    line, column = parser.CurrentLineNumber, parser.CurrentColumnNumber + 1
    if isinstance(error, expat.ExpatError):
        return WXRError(_explain(error), error.lineno, error.offset + 1)
    if isinstance(error, DTDForbidden):
        return WXRError(
            "the file declares a DTD; a WordPress export never does, and a DTD is how "
            "entity-expansion and external-entity attacks work, so it is refused",
            line,
            column,
        )
    if isinstance(error, EntitiesForbidden | ExternalReferenceForbidden):
        return WXRError("the file declares or references entities; refused", line, column)
    if isinstance(error, LookupError):  # expat asked Python for a codec it does not have
        return WXRError(f"{error}: the file declares an encoding this importer cannot read")
    if isinstance(error, WXRError) and error.line is None:
        return WXRError(error.message, line, column)
    return error


def read_wxr(
    stream: BinaryIO,
    *,
    max_field: int = MAX_FIELD_BYTES,
    on_progress: Callable[[int], None] | None = None,
) -> Iterator[Record]:
    """Records in file order: the ``Site`` first, then authors, terms and items.

    ``on_progress`` receives the number of bytes read so far after every chunk. The file is
    read by ``parse_tree``'s fast reader where it can be; where it cannot (see there), it is
    read again from the start by the streaming reader below, skipping the records given."""
    from broadsheet.importers.wordpress.parse_tree import NeedsStreaming, read_whole_records

    given = 0
    if stream.seekable():
        start = stream.tell()
        try:
            for record in read_whole_records(stream, max_field=max_field, on_progress=on_progress):
                given += 1
                yield record
            return
        except NeedsStreaming:
            stream.seek(start)
    for number, record in enumerate(
        read_streaming(stream, max_field=max_field, on_progress=on_progress)
    ):
        if number >= given:
            yield record


def read_streaming(
    stream: BinaryIO,
    *,
    max_field: int = MAX_FIELD_BYTES,
    on_progress: Callable[[int], None] | None = None,
) -> Iterator[Record]:
    """``read_wxr`` one element at a time: any file, any size of field, exact errors."""
    pending: list[Record] = []
    reader = _Reader(pending.append, max_field)
    parser = make_expat_parser(reader)
    done = 0
    while True:
        chunk = stream.read(CHUNK_SIZE)
        try:
            parser.Parse(chunk, not chunk)
            reader.check_field_size()
        except Exception as error:  # noqa: BLE001 - each kind is translated below
            problem = _as_wxr_error(error, parser)
            yield from pending  # records completed before the problem are whole: keep them
            raise problem from None
        done += len(chunk)
        if on_progress:
            on_progress(done)
        if pending:
            yield from pending
            pending.clear()
        if not chunk:
            break
    if not reader.site_sent:
        raise WXRError("not a WordPress export: no <rss><channel> with <wp:wxr_version>")
