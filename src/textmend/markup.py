"""Strip markup residue from plain text: tags, comments, script/style bodies, entities.

Only real HTML element names with well-formed attributes count as tags, so
`a<b 且 b>c` or `List<String>` stay as they are; text between tags is kept.
"""

from __future__ import annotations

import html
import re
from functools import partial
from html.entities import html5

from .lexicon import words
from .result import Change

STAGE = "markup"

_MULTILINE = re.compile(
    r"<!--.*?-->|<(script|style)\b[^>]*>.*?</\1\s*>|<!DOCTYPE[^>]*>|<\?xml[^>]*\?>",
    re.DOTALL | re.IGNORECASE,
)
_ATTRIBUTE = r"""\s+[A-Za-z_:@][A-Za-z0-9_:.@-]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
_TAG = re.compile(rf"<(/?)([A-Za-z][A-Za-z0-9]*(?::[A-Za-z]+)?)((?:{_ATTRIBUTE})*)\s*/?>")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_SPACES = {"\xa0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " "}


def strip_markup(text: str, changes: list[Change] | None = None) -> str:
    """Remove markup residue; a removed block-level tag leaves a line break behind."""
    if "<" not in text and "&" not in text:
        return text
    text = _MULTILINE.sub(lambda m: _blank_out(m, text, changes), text)
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        if "<" not in line and "&" not in line:
            continue
        counts = {"tags": 0, "entities": 0}
        cleaned = _TAG.sub(partial(_drop_tag, counts=counts), line)
        cleaned = _ENTITY.sub(partial(_unescape, counts=counts), cleaned)
        if cleaned != line:
            lines[number - 1] = cleaned
            if changes is not None:
                what = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
                changes.append(Change(STAGE, number, line, cleaned, f"markup residue: {what}"))
    return "\n".join(lines)


def _blank_out(match: re.Match[str], text: str, changes: list[Change] | None) -> str:
    """Replace a comment or script/style element by its line breaks, keeping line numbers."""
    body = match.group(0)
    if changes is not None:
        line = text.count("\n", 0, match.start()) + 1
        kind = "comment" if body.startswith("<!--") else "script/style/declaration"
        changes.append(Change(STAGE, line, body, "", f"markup residue: {kind}"))
    return "\n" * body.count("\n")


def _drop_tag(match: re.Match[str], counts: dict[str, int]) -> str:
    name = match.group(2).lower()
    if name not in words("html_elements.txt"):
        return match.group(0)
    counts["tags"] += 1
    return "\n" if name in words("block_elements.txt") else ""


def _unescape(match: re.Match[str], counts: dict[str, int]) -> str:
    entity = match.group(0)
    if not entity.startswith("&#") and entity[1:] not in html5:
        return entity
    decoded = html.unescape(entity)
    if decoded == entity:
        return entity
    counts["entities"] += 1
    return _SPACES.get(decoded, decoded)
