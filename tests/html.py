"""Reading HTML as a browser would: a small element tree, and forms as the data they submit.

Tests check pages through these (the element a reader sees, the form a browser posts) rather
than by searching responses for substrings.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.test import Client

VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
             "track", "wbr"}  # fmt: skip
NOT_SUBMITTED = {"submit", "button", "image", "reset", "file"}


@dataclass
class Element:
    """One parsed HTML element: just enough of a DOM to find things and read their text."""

    tag: str
    attrs: dict[str, str | None]
    children: list[Element | str] = field(default_factory=list)

    def iter(self) -> Iterator[Element]:
        """This element and every element beneath it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(
        self, tag: str | None = None, *, class_: str | None = None, **attrs: str
    ) -> list[Element]:
        return [
            element
            for element in self.iter()
            if (tag is None or element.tag == tag)
            and (class_ is None or class_ in (element.attrs.get("class") or "").split())
            and all(element.attrs.get(name) == value for name, value in attrs.items())
        ]

    def find(self, tag: str | None = None, *, class_: str | None = None, **attrs: str) -> Element:
        """The only element that matches; a test fails loudly when there is none or several."""
        found = self.find_all(tag, class_=class_, **attrs)
        assert len(found) == 1, f"expected one <{tag} {class_ or ''} {attrs}>, found {len(found)}"
        return found[0]

    @property
    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text for child in self.children)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        self.stack[-1].children.append(element)
        if tag not in VOID_TAGS:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if any(open_element.tag == tag for open_element in self.stack[1:]):
            while self.stack.pop().tag != tag:
                pass

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(content: bytes | str) -> Element:
    builder = _TreeBuilder()
    builder.feed(content.decode() if isinstance(content, bytes) else content)
    builder.close()
    return builder.root


@dataclass
class HtmlForm:
    """The controls of one rendered form: what a browser would submit, and what it offers."""

    values: dict[str, list[str]]
    options: dict[str, list[tuple[str, str]]]  # select name → [(value, label)]
    names: set[str]  # every named control, including unticked checkboxes

    def data(self, **changes: str | list[str] | None) -> dict[str, list[str]]:
        """POST data: the form as rendered, with ``changes`` applied (``None`` drops a control)."""
        data = {name: list(values) for name, values in self.values.items()}
        for name, value in changes.items():
            if value is None:
                data.pop(name, None)
            else:
                data[name] = [value] if isinstance(value, str) else list(value)
        return data


def read_form(content: bytes | str, form_id: str) -> HtmlForm:
    form = parse_html(content).find("form", id=form_id)
    values: dict[str, list[str]] = {}
    options: dict[str, list[tuple[str, str]]] = {}
    names: set[str] = set()
    for control in form.iter():
        name = control.attrs.get("name")
        if not name or control.tag not in {"input", "select", "textarea"}:
            continue
        kind = (control.attrs.get("type") or "text").lower()
        if control.tag == "input" and kind in NOT_SUBMITTED:
            continue
        names.add(name)
        if control.tag == "input" and kind in {"checkbox", "radio"}:
            if "checked" in control.attrs:
                values.setdefault(name, []).append(control.attrs.get("value", "on") or "")
        elif control.tag == "input":
            values.setdefault(name, []).append(control.attrs.get("value") or "")
        elif control.tag == "textarea":
            text = control.text
            values[name] = [text[1:] if text.startswith("\n") else text]  # as browsers do
        else:
            offered = [
                (option.attrs.get("value", option.text.strip()) or "", option.text.strip(), option)
                for option in control.find_all("option")
            ]
            options[name] = [(value, label) for value, label, _ in offered]
            chosen = [value for value, _, option in offered if "selected" in option.attrs]
            if not chosen and offered and "multiple" not in control.attrs:
                chosen = [offered[0][0]]
            values[name] = chosen
    return HtmlForm(values=values, options=options, names=names)


def get_form(client: Client, url: str, form_id: str) -> HtmlForm:
    response = client.get(url)
    assert response.status_code == 200
    return read_form(response.content, form_id)
