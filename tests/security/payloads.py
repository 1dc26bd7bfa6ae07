"""The XSS payloads every input path is tried with: the public IntrudersXSS list, read in
place, and our own forms of the tricks it lacks (attribute breakers, script URLs, SVG/MathML,
entity and control-character obfuscation)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

INTRUDERS_XSS = (
    Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "xss" / "IntrudersXSS.txt"
)

ATTRIBUTE_BREAKERS = [
    '" onmouseover="alert(101)',
    "' onfocus='alert(102)' autofocus='",
    '"><img src=x onerror=alert(103)>',
    "'><img src=x onerror=alert(104)>",
    "` onmouseover=alert(105) `",
    '" autofocus onfocus=alert(106) x="',
    "</textarea><img src=x onerror=alert(107)>",
    "</title><img src=x onerror=alert(108)>",
    "</script><img src=x onerror=alert(109)>",
    "--><img src=x onerror=alert(110)><!--",
    "]]><img src=x onerror=alert(111)><![CDATA[",
    '"\n onmouseover=alert(112) "',
]
SCRIPT_URLS = [
    "javascript:alert(201)",
    "JaVaScRiPt:alert(202)",
    " javascript:alert(203)",
    "java\tscript:alert(204)",
    "java\nscript:alert(205)",
    "&#106;avascript:alert(206)",
    "javascript&colon;alert(207)",
    "vbscript:msgbox(208)",
    "data:text/html,<script>alert(209)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgyMTApPC9zY3JpcHQ+",
    "[link](javascript:alert(211))",
    '[link](JAVASCRIPT:alert(212) "title")',
    "<javascript:alert(213)>",
    "![x](javascript:alert(214))",
    "[link](&#x6A;avascript:alert(215))",
    "[link](java&#09;script:alert(216))",
    "[link][ref]\n\n[ref]: javascript:alert(217)",
    '<a href="javascript:alert(218)">link</a>',
    '<a href="  javascript:alert(219)">link</a>',
    '<a href="http://x/" onclick="alert(220)">link</a>',
    'http://example.org/"onmouseover="alert(221)',
    'https://example.org/#"><img src=x onerror=alert(222)>',
]
SVG_MATHML = [
    "<svg><script>alert(301)</script></svg>",
    '<svg><a xlink:href="javascript:alert(302)"><text x="5" y="15">x</text></a></svg>',
    "<svg><animate onbegin=alert(303) attributeName=x dur=1s>",
    '<svg><set attributeName="onmouseover" to="alert(304)"/></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(305)>",
    '<math href="javascript:alert(306)">x</math>',
    "<math><maction actiontype=statusline xlink:href=javascript:alert(307)>x</maction></math>",
    '<noscript><p title="</noscript><img src=x onerror=alert(308)>">',
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(309)>",
    "<svg><style><img src=x onerror=alert(310)></style></svg>",
    '<svg><foreignObject><iframe srcdoc="<script>alert(311)</script>"></iframe>'
    "</foreignObject></svg>",
    "<svg><use href=\"data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'>"
    "<image href='1' onerror='alert(312)'/></svg>#x\"/></svg>",
]
ENTITY_OBFUSCATED = [
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(401)">x</a>',
    '<a href="&#x6A;avascript&#x3A;alert(402)">x</a>',
    '<a href="javascript&#58;alert(403)">x</a>',
    '<a href="&#0000106avascript:alert(404)">x</a>',
    "<img src=x onerror=&#97;lert(405)>",
    "&lt;img src=x onerror=alert(406)&gt;",
    "&#60;script&#62;alert(407)&#60;/script&#62;",
    '<iframe src="&#x64;ata:text/html,<script>alert(408)</script>"></iframe>',
    '<a href="jav&Tab;ascript:alert(409)">x</a>',
    '<a href="javas&NewLine;cript:alert(410)">x</a>',
]
CONTROL_OBFUSCATED = [
    '<a href="java\x00script:alert(501)">x</a>',
    '<a href="\x01javascript:alert(502)">x</a>',
    '<a href="java\x0bscript:alert(503)">x</a>',
    "<img\x0csrc=x\x0conerror=alert(504)>",
    "<svg\x0bonload=alert(505)>",
    '<a href=" \x0e javascript:alert(506)">x</a>',
    "<scr\x00ipt>alert(507)</scr\x00ipt>",
    "\x1b]8;;javascript:alert(508)\x1b\\link\x1b]8;;\x1b\\",
    "java\u200bscript:alert(509)",
    "\u2028<img src=x onerror=alert(510)>\u2029",
    "\x7f<svg onload=alert(511)>\x85",
    "\ufeff<img src=x onerror=alert(512)>",
    # Controls written as character references: a sanitizer that strips controls after
    # checking schemes joins "java" and "script" back together.
    '<a href="java&#11;script:alert(513)">x</a>',
    '<a href="java&#x0C;script:alert(514)">x</a>',
    '<a href="&#1;javascript:alert(515)">x</a>',
    '<a href="jav&#x7f;ascript:alert(516)">x</a>',
    '<a href="java&#x85;script:alert(517)">x</a>',
    "[link](java&#11;script:alert(518))",
]
OWN_PAYLOADS = {
    "attribute breaker": ATTRIBUTE_BREAKERS,
    "script URL": SCRIPT_URLS,
    "SVG/MathML": SVG_MATHML,
    "entity-obfuscated": ENTITY_OBFUSCATED,
    "control-character-obfuscated": CONTROL_OBFUSCATED,
}


@dataclass(frozen=True)
class Payload:
    number: int  # 1-based, stable: the list's lines first, then our own
    source: str
    text: str

    def __str__(self) -> str:
        return f"payload #{self.number} ({self.source}) {self.text!r}"


@cache
def all_payloads() -> tuple[Payload, ...]:
    """Every payload once. A missing list fails the run: a skipped XSS suite proves nothing."""
    if not INTRUDERS_XSS.is_file():
        pytest.fail(f"the public XSS list is missing: {INTRUDERS_XSS}", pytrace=False)
    lines = INTRUDERS_XSS.read_text(encoding="utf-8").split("\n")
    texts = [("IntrudersXSS.txt", line) for line in lines if line.strip()]
    texts += [(kind, text) for kind, items in OWN_PAYLOADS.items() for text in items]
    seen: set[str] = set()
    unique = []
    for source, text in texts:
        if text not in seen:
            seen.add(text)
            unique.append(Payload(len(unique) + 1, source, text))
    return tuple(unique)
