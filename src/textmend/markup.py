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
from .options import Options
from .result import Change, Fixed

STAGE = "markup"

# Blocks that may span lines, found opening first, then closing: every pattern
# stops at the next `<` or `>` (no `.*?` to the end of the text), and a kind whose
# closing is missing from some point on is not looked for again, so a run of
# unclosed `<!--` or `<script>` costs one scan, not one per opening (measured:
# 1 MB of `<!--` took 20 s with `<!--.*?-->`; now linear, see the test).
_OPENING = re.compile(r"<!--|<(script|style)\b[^<>]*>|<!DOCTYPE\b[^<>]*>|<\?xml\b[^<>]*\?>", re.I)
_CLOSING = {
    "comment": re.compile("-->"),
    "script": re.compile(r"</script\s*>", re.I),
    "style": re.compile(r"</style\s*>", re.I),
}
_ATTRIBUTE = r"""\s+[A-Za-z_:@][A-Za-z0-9_:.@-]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
# A tag has at most MAX_ATTRIBUTES attributes (the 109 pages of magic_html have
# 37 at most), so that a `<a b b b ...` line of a million "attributes" costs no
# deep backtracking stack (it grew 4.6x from 2 to 4 MB unbounded).
MAX_ATTRIBUTES = 100
_TAG = re.compile(
    rf"<(/?)([A-Za-z][A-Za-z0-9]*(?::[A-Za-z]+)?)((?:{_ATTRIBUTE}){{0,{MAX_ATTRIBUTES}}})\s*/?>"
)
# `&amp;` before an entity is escaping escaped once more (`&amp;quot;`): the chain
# is read as the entity at its end, in one pass however deep.
_ENTITY = re.compile(r"&((?:amp;)*)(#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Decoded entities can form markup (`&lt;p&gt;` of feeds that escape their HTML),
# removed by a further round; a round only shrinks the line, and real text needs
# at most two (measured on the clean corpora and the magic_html pages).
MAX_ROUNDS = 4
_SPACES = {"\xa0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " "}


def strip_markup(text: str, changes: list[Change] | None = None) -> str:
    """Remove markup residue; a removed block-level tag leaves a line break behind."""
    if "<" not in text and "&" not in text:
        return text
    text = _strip_blocks(text, changes)
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        if "<" not in line and "&" not in line:
            continue
        counts = {"tags": 0, "entities": 0, "comments": 0}
        cleaned = line
        for _ in range(MAX_ROUNDS):
            before = cleaned
            if "<" in cleaned:
                cleaned = _strip_blocks(cleaned, None, counts)
                cleaned = _TAG.sub(partial(_drop_tag, counts=counts), cleaned)
            if "&" in cleaned:
                cleaned = _ENTITY.sub(partial(_unescape, counts=counts), cleaned)
            if cleaned == before:
                break
        if cleaned != line:
            lines[number - 1] = cleaned
            if changes is not None:
                what = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
                changes.append(Change(STAGE, number, line, cleaned, f"markup residue: {what}"))
    return "\n".join(lines)


def _strip_blocks(
    text: str, changes: list[Change] | None, counts: dict[str, int] | None = None
) -> str:
    """Replace each comment, script/style element and declaration by its line breaks,
    keeping line numbers; in one left-to-right scan."""
    if "<" not in text:
        return text
    pieces: list[str] = []
    copied = searched = 0  # text[:copied] is in pieces; openings before `searched` are done
    may_close = set(_CLOSING)  # kinds whose closing may still come
    line = 1  # of text[copied]
    while (opening := _OPENING.search(text, searched)) is not None:
        head = opening.group(0)
        kind = "comment" if head == "<!--" else (opening.group(1) or "").lower() or None
        end = opening.end()
        if kind is not None:
            closing = _CLOSING[kind].search(text, end) if kind in may_close else None
            if closing is None:
                may_close.discard(kind)  # none later either: never looked for again
                searched = end
                continue
            end = closing.end()
        body = text[opening.start() : end]
        pieces += [text[copied : opening.start()], "\n" * body.count("\n")]
        if counts is not None:
            counts["comments" if kind == "comment" else "tags"] += 1
        if changes is not None:
            line += text.count("\n", copied, opening.start())
            what = "comment" if kind == "comment" else "script/style/declaration"
            changes.append(Change(STAGE, line, body, "", f"markup residue: {what}"))
            line += body.count("\n")
        copied = searched = end
    if not pieces:
        return text
    pieces.append(text[copied:])
    return "".join(pieces)


def _drop_tag(match: re.Match[str], counts: dict[str, int]) -> str:
    name = match.group(2).lower()
    if name not in words("html_elements.txt"):
        return match.group(0)
    counts["tags"] += 1
    return "\n" if name in words("block_elements.txt") else ""


def _unescape(match: re.Match[str], counts: dict[str, int]) -> str:
    amps, name = match.group(1), match.group(2)
    entity = f"&{name};"
    decoded = entity
    if name.startswith("#") or f"{name};" in html5:
        decoded = html.unescape(entity)
    if decoded == entity:
        if not amps:
            return entity
        decoded = entity  # `&amp;` decoded, the unknown entity after it kept as text
    counts["entities"] += 1
    return _SPACES.get(decoded, decoded)


def fix(text: str, options: Options) -> Fixed:
    """The pipeline's step (`textmend.pipeline.Stage`)."""
    changes: list[Change] = []
    return Fixed(strip_markup(text, changes), changes)
