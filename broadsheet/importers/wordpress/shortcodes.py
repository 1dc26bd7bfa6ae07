"""WordPress shortcodes that carry content — ``[caption]``, ``[gallery]``, ``[embed]``,
``[audio]``, ``[video]`` — as plain HTML. Unknown shortcodes are left as text and named in
the report."""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

KNOWN = ("caption", "wp_caption", "gallery", "embed", "audio", "video")
_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s'"\]]+))|"([^"]*)"|(\S+)""")
# Only the opening tag is a regular expression: a lazy ``(.*?)[/name]`` after it scanned to the
# end of the text for every opening tag without a closing one (quadratic); the closing tag is
# looked up among all of them, found once (``_Closings``).
_SHORTCODE_OPEN = re.compile(r"\[(\[?)(" + "|".join(KNOWN) + r")(?![\w-])([^\]]*?)(/?)\]")
_UNKNOWN_OPEN = re.compile(r"\[([a-z][\w-]*)(?:\s+[\w-]+=[^\]]*)?\]", re.I)
_CLOSING = re.compile(r"\[/([a-z][\w-]*)\]", re.I)
_PLAYLIST = re.compile(r"\[playlist\b[^\]]*\]")
_MEDIA_EXTENSIONS = {
    "audio": ("mp3", "ogg", "oga", "wav", "m4a", "flac", "wma"),
    "video": ("mp4", "m4v", "webm", "ogv", "wmv", "flv", "mov"),
}


@dataclass
class Attachment:
    """What a gallery needs to know about an attachment."""

    url: str
    title: str = ""
    caption: str = ""
    alt: str = ""
    parent: int = 0
    order: int = 0


class MissingAttachments(LookupError):
    """A gallery names attachments that have not been read yet (they come later in the file)."""


def parse_attributes(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for match in _ATTR.finditer(text):
        name, dq, sq, bare, lone_dq, lone = match.groups()
        if name:
            found[name.lower()] = html.unescape(next(v for v in (dq, sq, bare) if v is not None))
        else:
            found.setdefault("0", html.unescape(lone_dq if lone_dq is not None else lone))
    return found


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def caption(attrs: Mapping[str, str], inner: str) -> str:
    inner = inner.strip()
    text = attrs.get("caption", "")
    media = re.match(r"\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", inner, re.S | re.I)
    if media:
        inner, rest = media.group(1), media.group(2).strip()
        text = text or rest
    caption_html = f"<figcaption>{text}</figcaption>" if text else ""
    return f"<figure>{inner}{caption_html}</figure>"


def gallery(
    attrs: Mapping[str, str],
    post_id: int,
    attachments: Mapping[int, Attachment],
    children: Callable[[int], list[int]],
    notes: list[str],
    strict: bool = True,
) -> str:
    ids_text = attrs.get("ids") or attrs.get("include") or ""
    if ids_text:
        ids = [int(part) for part in re.findall(r"\d+", ids_text)]
        missing = [pk for pk in ids if pk not in attachments]
        if missing and strict:
            raise MissingAttachments(missing)
        if missing:
            notes.append("gallery image(s) not in the file: " + ", ".join(map(str, missing)))
    else:
        parent = int(attrs.get("id") or post_id)
        ids = children(parent)
    excluded = {int(part) for part in re.findall(r"\d+", attrs.get("exclude", ""))}
    link = attrs.get("link", "")
    items = []
    for pk in ids:
        if pk in excluded or pk not in attachments:
            continue
        item = attachments[pk]
        image = f'<img src="{_attr(item.url)}" alt="{_attr(item.alt)}" loading="lazy">'
        if link != "none":
            image = f'<a href="{_attr(item.url)}">{image}</a>'
        text = f"<figcaption>{html.escape(item.caption)}</figcaption>" if item.caption else ""
        items.append(f"<li><figure>{image}{text}</figure></li>")
    return f"<figure><ul>{''.join(items)}</ul></figure>" if items else ""


def embed(attrs: Mapping[str, str], inner: str) -> str:
    url = (inner or attrs.get("src") or attrs.get("url") or attrs.get("0", "")).strip()
    url = html.unescape(re.sub(r"<[^>]+>", "", url))
    if not url:
        return ""
    return f'<figure><a href="{_attr(url)}">{html.escape(url)}</a></figure>'


def media(kind: str, attrs: Mapping[str, str]) -> str:
    sources = [attrs["src"]] if attrs.get("src") else []
    sources += [attrs[ext] for ext in _MEDIA_EXTENSIONS[kind] if attrs.get(ext)]
    if not sources:
        return ""
    extra = ""
    if kind == "video":
        for name in ("poster", "width", "height"):
            if attrs.get(name):
                extra += f' {name}="{_attr(attrs[name])}"'
    inner = "".join(f'<source src="{_attr(src)}">' for src in sources[1:])
    fallback = f'<a href="{_attr(sources[0])}">{html.escape(sources[0])}</a>'
    return (
        f'<figure><{kind} controls src="{_attr(sources[0])}"{extra}>{inner}{fallback}'
        f"</{kind}></figure>"
    )


class _Closings:
    """Where each ``[/name]`` of a text is, read in one pass: the first one after a position
    is then a binary search, whatever the number of opening tags."""

    def __init__(self, text: str, *, fold_case: bool) -> None:
        self.fold = str.lower if fold_case else str
        self.starts: dict[str, list[int]] = {}
        for match in _CLOSING.finditer(text):
            self.starts.setdefault(self.fold(match.group(1)), []).append(match.start())

    def first_after(self, name: str, position: int) -> int:
        starts = self.starts.get(self.fold(name), [])
        index = bisect_left(starts, position)
        return starts[index] if index < len(starts) else -1


def _shortcodes(
    pattern: re.Pattern[str], text: str, closings: _Closings
) -> Iterator[tuple[re.Match[str], int, int]]:
    """Each opening tag of ``pattern`` (leftmost first, none overlapping) with where the
    first matching ``[/name]`` after it starts and where the whole shortcode ends: what
    ``opening(?:(.*?)[/name])?`` would match, in one pass."""
    # No opening tag ends after the last "]": searching past it only rescans the tail.
    end = text.rfind("]") + 1
    position = 0
    while True:
        match = pattern.search(text, position, end)
        if match is None:
            return
        name = match.group(2) if pattern is _SHORTCODE_OPEN else match.group(1)
        close = closings.first_after(name, match.end())
        stop = close + len(name) + 3 if close != -1 else match.end()
        yield match, close, stop
        position = stop


def expand(
    text: str,
    post_id: int,
    attachments: Mapping[int, Attachment],
    children: Callable[[int], list[int]],
    notes: list[str],
    strict: bool = True,
) -> str:
    """Every known shortcode replaced by HTML; ``[[x]]`` (WordPress's escape) becomes ``[x]``.

    Raises :class:`MissingAttachments` when a gallery needs attachments not seen yet."""

    def replace(match: re.Match[str], close: int, stop: int) -> tuple[str, int]:
        opening, name, attr_text, _ = match.groups()
        inner = text[match.end() : close] if close != -1 else None
        closing = "]" if text.startswith("]", stop) else ""
        stop += len(closing)
        if opening == "[" and closing == "]":
            return text[match.start() + 1 : stop - 1], stop
        attrs = parse_attributes(attr_text)
        inner = inner or ""
        if name in {"caption", "wp_caption"}:
            result = caption(attrs, expand(inner, post_id, attachments, children, notes, strict))
        elif name == "gallery":
            result = gallery(attrs, post_id, attachments, children, notes, strict)
        elif name == "embed":
            result = embed(attrs, inner)
        else:
            result = media(name, attrs)
            if inner.strip():
                result += inner
        return opening + result + closing, stop

    out: list[str] = []
    done = 0
    for match, close, stop in _shortcodes(_SHORTCODE_OPEN, text, _Closings(text, fold_case=False)):
        replaced, done_at = replace(match, close, stop)
        out += [text[done : match.start()], replaced]
        done = done_at
    text = "".join(out) + text[done:] if out else text
    if _PLAYLIST.search(text):
        notes.append("shortcode [playlist] left as text")
    for match, close, _ in _shortcodes(_UNKNOWN_OPEN, text, _Closings(text, fold_case=True)):
        name = match.group(1)
        if name.lower() not in KNOWN + ("playlist",) and ("=" in match.group(0) or close != -1):
            notes.append(f"shortcode [{name}] left as text")
    return text
