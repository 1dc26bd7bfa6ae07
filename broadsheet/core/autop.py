"""WordPress's automatic paragraphs: blank lines become paragraphs, single line breaks
become ``<br />``, and block-level HTML is left alone. Written from WordPress's documented
behaviour (``wpautop``); running it on its own output changes nothing."""

from __future__ import annotations

import re
from collections.abc import Callable

from broadsheet.core.bounded_sub import sub_up_to_last

_BLOCK = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|"
    "area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|"
    "hgroup|header|footer|nav|figure|figcaption|details|menu|summary|audio|video|source"
)
_KEEP_AS_IS = re.compile(r"<(pre|script|style|svg|textarea)\b.*?</\1\s*>", re.S | re.I)
_OPEN_BLOCK = re.compile(rf"(<(?:{_BLOCK})(?=[\s/>])[^>]*>)", re.I)
_CLOSE_BLOCK = re.compile(rf"(</(?:{_BLOCK})>)", re.I)
_ANY_BLOCK_TAG = rf"</?(?:{_BLOCK})(?=[\s/>])[^>]*>"
_UNWRAP_OPEN = re.compile(rf"<p>\s*({_ANY_BLOCK_TAG})", re.I)
_BR_BEFORE_BLOCK = re.compile(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[\s/>])", re.I)
_STANDALONE_SHORTCODE = re.compile(
    r"<p>\s*(\[(caption|wp_caption|gallery|embed|audio|video|playlist)\b[^\]]*\]"
    r"(?:.*?\[/\2\])?)\s*</p>",
    re.S,
)

_STANDALONE_OPEN_SHORTCODE = re.compile(
    r"<p>\s*(\[(?:caption|wp_caption|gallery|embed|audio|video|playlist)\b[^\]]*\])\s*</p>"
)
_BLOCK_TAG_START = re.compile(rf"</?(?:{_BLOCK})(?=[\s/>])", re.I)
_P_END = re.compile(r">(?=(\s*</p>))", re.I)  # found without consuming: ends may share a ">"
_BR_END = re.compile(r">(?=(\s*<br />))", re.I)
_KEEP_START = re.compile(r"<(pre|script|style|svg|textarea)\b", re.I)
_KEEP_END = {
    name: re.compile(rf"</{name}\s*>") for name in ("pre", "script", "style", "svg", "textarea")
}
_DOUBLE_BR = re.compile(r"<br\s*/?>\s*<br\s*/?>", re.I)
_HR = re.compile(r"<hr\s*/?>", re.I)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_EMPTY_P = re.compile(r"<p>\s*</p>")
# Only where text follows (or precedes) in the same paragraph: a quotation whose paragraphs
# are already inside it is left as it is, so that running wpautop again changes nothing.
_P_BEFORE_BLOCKQUOTE = re.compile(r"<p><blockquote([^>]*)>(?!\s*</p>)", re.I)
_BLOCKQUOTE_BEFORE_P_END = re.compile(r"(?<!<p>)(?<!</p>)</blockquote></p>", re.I)
_KEPT_IN_P = re.compile(r"<p>\s*(\x00\d+\x00)\s*</p>")
_TAG = re.compile(r"<[^>]*>")
_KEPT = re.compile(r"\x00(\d+)\x00")


def wpautop(text: str, br: bool = True) -> str:
    if not text.strip():
        return ""
    if not any(mark in text for mark in ("\n", "\r", "<", "[", "\x01")):
        return f"<p>{text.strip()}</p>\n"  # one line of plain text, as most comments are
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"\x00{len(kept) - 1}\x00"

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "<" in text:
        text = _keep_as_is(text, keep)
        text = _DOUBLE_BR.sub("\n\n", text)
        text = sub_up_to_last(">", _OPEN_BLOCK, r"\n\n\1", text)
        text = _CLOSE_BLOCK.sub(r"\1\n\n", text)
        text = _HR.sub("<hr />", text)
    chunks = [chunk.strip() for chunk in _PARAGRAPH_BREAK.split(text)]
    text = "".join(f"<p>{chunk}</p>\n" for chunk in chunks if chunk)
    if "<" in text[3:-5]:  # more than the paragraphs just added
        text = _EMPTY_P.sub("", text)
        # A quotation's paragraphs go inside it, as WordPress writes them.
        text = _P_BEFORE_BLOCKQUOTE.sub(r"<blockquote\1>\n<p>", text)
        text = _BLOCKQUOTE_BEFORE_P_END.sub("</p>\n</blockquote>", text)
        text = _UNWRAP_OPEN.sub(r"\1", text)
        text = _block_tag_without(_P_END, text)
        text = _KEPT_IN_P.sub(r"\1", text)
    if br:
        if _newline_in_tag(text):
            # A newline inside a tag (between attributes) is not a line break.
            text = _TAG.sub(lambda m: m.group(0).replace("\n", "\x01"), text)
        text = line_breaks(text)
        text = text.replace("\x01", "\n")
    if "<br />" in text:
        text = _block_tag_without(_BR_END, text)
        text = _BR_BEFORE_BLOCK.sub(r"\1", text)
    if "[" in text:
        text = _standalone_shortcodes(text)
    if kept:
        text = _KEPT.sub(lambda m: kept[int(m.group(1))], text)
    return text.strip() + "\n"


# A single expression for each of these would rescan to the end of the text from every "<"
# (or "[") where no match can be completed ("<div <div <div…"): quadratic. These scan once.


def _keep_as_is(text: str, keep: Callable[[re.Match[str]], str]) -> str:
    """Each ``<pre>``, ``<script>``, ``<style>``, ``<svg>`` and ``<textarea>`` element,
    start to end tag, replaced by ``keep(match)``; once one has no end tag, later ones of
    the same name are not looked for."""
    lowered = text.lower()
    unclosed: set[str] = set()
    out: list[str] = []
    done = position = 0
    while (start := _KEEP_START.search(text, position)) is not None:
        name = start.group(1).lower()
        position = start.end()
        if name in unclosed:
            continue
        close = _KEEP_END[name].search(lowered, position)
        if close is None:
            unclosed.add(name)
            continue
        match = _KEEP_AS_IS.match(text, start.start(), close.end())
        if match is None:  # not the same shape after all: leave it to the expression
            continue
        out += [text[done : start.start()], keep(match)]
        done = position = match.end()
    return "".join(out) + text[done:] if out else text


def _block_tag_without(after: re.Pattern[str], text: str) -> str:
    """``text`` without the ``</p>`` or ``<br />`` (``after``'s group, white space before it
    included) that directly follows a block-level tag: blocks stand outside paragraphs and
    need no line break after them."""
    out: list[str] = []
    done = 0
    for end in after.finditer(text):
        close = end.start()  # the ">" ending the tag
        if close < done:
            continue
        start = _BLOCK_TAG_START.search(
            text, max(text.rfind(">", done, close) + 1, done), close + 1
        )
        if start is None:
            continue
        out += [text[done : close + 1]]
        done = close + 1 + len(end.group(1))
    return "".join(out) + text[done:] if out else text


def _newline_in_tag(text: str) -> bool:
    """Whether a newline stands inside a tag (after a "<" with no ">" since), which is
    white space between attributes, not a line break."""
    inside = False
    for line in text.split("\n")[:-1]:
        opened, closed = line.rfind("<"), line.rfind(">")
        if opened != closed:
            inside = opened > closed
        if inside:
            return True
    return False


def _standalone_shortcodes(text: str) -> str:
    """A paragraph holding only a block shortcode (``[caption]``, ``[gallery]``, …) becomes
    the shortcode itself, which expands to a block of its own."""
    # With no "[/" anywhere the closing part cannot match, and trying it is what costs.
    pattern = _STANDALONE_SHORTCODE if "[/" in text else _STANDALONE_OPEN_SHORTCODE
    return sub_up_to_last("</p>", pattern, r"\1", text)


def line_breaks(text: str) -> str:
    """Each newline ``<br />\\n``, spaces and tabs before it dropped, except the last newline
    (and one before it, if the text ends in two) and a newline that follows ``<br />``;
    read from newline to newline (a test holds it to the equivalent regular expression)."""
    end = len(text) - 1 if text.endswith("\n") else len(text)  # where the regex's $ matches
    out: list[str] = []
    done = 0
    newline = text.find("\n")
    while newline != -1:
        if newline + 1 < end:
            start = newline
            while start > done and text[start - 1] in " \t":
                start -= 1
            # The regex takes the first start from the left that no "<br />" ends at.
            for candidate in range(start, newline + 1):
                if candidate < 6 or text[candidate - 6 : candidate] != "<br />":
                    out.append(text[done:candidate])
                    out.append("<br />\n")
                    done = newline + 1
                    break
        newline = text.find("\n", newline + 1)
    out.append(text[done:])
    return "".join(out)
