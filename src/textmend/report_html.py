"""The audit page of a run: one self-contained HTML file (inline CSS and JavaScript, no
network, no external asset) that people look at rather than read.

For each document it shows the input beside the cleaned text, line by line, with the
lines the junk stage removed struck through and coloured by their label, each repair
and conversion marked character by character with its reason on hover, the detected
encoding and its evidence; above the documents, a summary of the whole run (documents,
bytes, changes by stage, removed lines by label, encodings, failures).

A run of 10,000 documents stays usable: every document's data is a compact JSON block
(`<script type="application/json">`, never parsed until it is shown) and a small index
entry; the page's script lists the documents a page of 100 at a time, filtered by name,
state, stage or label, and builds the view of one document at a time. The writer is
incremental (`HtmlReport.add` writes a document as it comes; `close` writes the
summary), so a run needs no more memory than one document's data, and the file is
about the size of the inputs and outputs it shows, plus their changes.

    >>> with open("report.html", "w", encoding="utf-8") as out:
    ...     write_report_html([(name, text, textmend.clean_document(text))], out)

Input beside output: the changes a `Result` lists are replayed line by line on the
input (`align`): every line of the junk stage's input, hence every removed line and
every output line, is traced back to the input line it came from. Where that cannot
be done (an HTML page, whose article is extracted; a document given without its
input), the page shows the two texts apart and lists the removed lines and changes.
"""

from __future__ import annotations

import difflib
import html
import json
import re
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, TextIO, TypeAlias

from . import __version__
from .hygiene import LINE_END
from .layout import EDGE_BLANKS
from .options import JUNK_LABELS
from .report_assets import CSS as _CSS
from .report_assets import JS as _JS
from .result import STAT_STAGES, Change, Result

# What a document's cleaning came to: its Result; a `--report` record (a mapping:
# `Result.to_dict()` with `source`, `changed`, or `{"source", "error"}`; `changes` and
# `removed` may be any iterables of such dicts, `bytes_in`/`bytes_out` may be added);
# or a failure (an exception, or its message).
Outcome: TypeAlias = "Result | Mapping[str, Any] | BaseException | str"

# Texts longer than this (in characters, input or output) are left out of the page;
# the document's changes and removed lines are still listed.
MAX_TEXT = 4 * 1024 * 1024
# Lines of input and output beyond which a document whose replayed lines do not match its
# output line for line is not diffed to align them, but shown apart.
MAX_DIFFED_LINES = 4000
# Failures named in the summary table (all of them are in the list of documents).
SUMMARY_FAILURES = 20
# Distinct encodings counted in the summary (the rest are "other").
SUMMARY_ENCODINGS = 40

_LINE_END_OR_NEL = re.compile("\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def write_report_html(
    documents: Iterable[tuple[str, str | None, Outcome]],
    out: TextIO,
    *,
    title: str = "textmend report",
) -> Summary:
    """Write the page of a run to `out`: one `(name, input text or None, outcome)` per
    document, in order, written as it comes; returns the run's summary."""
    page = HtmlReport(out, title=title)
    for name, text, outcome in documents:
        page.add(name, text, outcome)
    return page.close()


@dataclass
class Summary:
    """The whole run's figures, as the page's summary table shows them."""

    documents: int = 0
    changed: int = 0
    failed: int = 0
    skipped: int = 0  # inputs not cleaned on purpose (an earlier run's backup)
    bytes_in: int = 0
    bytes_out: int = 0
    changes: Counter[str] = field(default_factory=Counter)  # by stage
    changed_by: Counter[str] = field(default_factory=Counter)  # documents, by stage
    removed: Counter[str] = field(default_factory=Counter)  # lines, by label
    removed_from: Counter[str] = field(default_factory=Counter)  # documents, by label
    encodings: Counter[str] = field(default_factory=Counter)
    over_budget: int = 0  # documents with a stage over its work budget
    replaced: int = 0  # documents with invalid byte sequences replaced
    failures: list[tuple[str, str]] = field(default_factory=list)  # the first few

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "changed": self.changed,
            "failed": self.failed,
            "skipped": self.skipped,
            "bytes_in": self.bytes_in,
            "bytes_out": self.bytes_out,
            "changes": dict(self.changes),
            "changed_by": dict(self.changed_by),
            "removed": dict(self.removed),
            "removed_from": dict(self.removed_from),
            "encodings": dict(self.encodings),
            "over_budget": self.over_budget,
            "replaced": self.replaced,
        }


class HtmlReport:
    """The page, written to `out` as documents are added: the head at once, each
    document by `add`, the summary and the script by `close` (which does not close
    `out`). Usable as a context manager (closed on a normal exit only)."""

    def __init__(self, out: TextIO, *, title: str = "textmend report", max_text: int = MAX_TEXT):
        self.out = out
        self.max_text = max_text
        self.summary = Summary()
        self.closed = False
        made = time.strftime("%Y-%m-%d %H:%M")
        out.write(
            _HEAD.format(
                title=_text(title),
                version=_text(__version__),
                made=_text(made),
                css=_CSS,
                onerror=_ONERROR,
            )
        )

    def __enter__(self) -> HtmlReport:
        return self

    def __exit__(self, kind: object, *_: object) -> None:
        if kind is None and not self.closed:
            self.close()

    def add(
        self, name: str, text: str | None, outcome: Outcome, *, changed: bool | None = None
    ) -> None:
        """One document: its name, its input as text (None: not kept) and its outcome
        (see `Outcome`); `changed` says whether its output differs from its input (by
        default: from the texts, or whether any change was made)."""
        index = self.summary.documents
        doc = _Document.of(name, text, outcome, changed, self.max_text)
        self.summary.documents += 1
        self.out.write(f'<script type="application/json" class="d" id="d{index}">')
        meta = doc.write(self.out)
        self.out.write('</script><script type="application/json" class="m">')
        self.out.write(_json({"i": index, **meta}))
        self.out.write("</script>\n")
        doc.count(self.summary, meta)

    def close(self) -> Summary:
        """The summary and the script: the page is complete."""
        if not self.closed:
            self.closed = True
            self.out.write(_summary_html(self.summary))
            self.out.write('<script type="application/json" id="summary-data">')
            self.out.write(_json(self.summary.to_dict()))
            self.out.write(f"</script>\n<script>{_JS}</script>\n</body>\n</html>\n")
        return self.summary


# --- one document ----------------------------------------------------------------------


@dataclass
class _Document:
    """One document as the page holds it (see `_Document.write` for its JSON)."""

    name: str
    status: str  # ok, failed, skipped
    message: str | None = None  # why it failed or was skipped
    changed: bool | None = None
    details: dict[str, Any] = field(default_factory=dict)  # encoding and its evidence
    bytes_in: int | None = None
    bytes_out: int | None = None
    text: str | None = None
    output: str | None = None
    omitted: str | None = None  # why the texts are not in the page
    changes: Iterable[Any] = ()  # Change objects or report dicts, removed lines apart
    removed: Iterable[Any] = ()

    @classmethod
    def of(
        cls,
        name: str,
        text: str | None,
        outcome: Outcome,
        changed: bool | None,
        max_text: int,
    ) -> _Document:
        if isinstance(outcome, BaseException):
            return cls(name, "failed", _failure(outcome))
        if isinstance(outcome, str):
            return cls(name, "failed", outcome)
        if isinstance(outcome, Result):
            doc = cls(
                name,
                "ok",
                details={
                    "encoding": outcome.encoding,
                    "confidence": outcome.confidence,
                    "evidence": outcome.evidence,
                    "runner_up": outcome.runner_up,
                    "segments": [[s.start, s.end, s.encoding] for s in outcome.segments],
                    "replaced": outcome.replaced,
                    "skipped": outcome.skipped,
                },
                bytes_in=outcome.bytes_in,
                bytes_out=_size(outcome.text),
                output=outcome.text,
                changes=[c for c in outcome.changes if c.label is None],
                removed=outcome.removed,
            )
        elif "error" in outcome:
            return cls(name, "failed", str(outcome["error"]))
        elif isinstance(outcome.get("skipped"), str):
            return cls(name, "skipped", outcome["skipped"])
        else:
            keys = ("encoding", "confidence", "evidence", "runner_up", "replaced", "skipped")
            details = {key: outcome.get(key) for key in keys}
            details["segments"] = [
                [s["start"], s["end"], s["encoding"]] for s in outcome.get("segments") or ()
            ]
            if outcome.get("blocks"):
                details["blocks"] = outcome["blocks"]
            doc = cls(
                name,
                "ok",
                changed=outcome.get("changed"),
                details=details,
                bytes_in=outcome.get("bytes_in"),
                bytes_out=outcome.get("bytes_out"),
                changes=outcome.get("changes") or (),
                removed=outcome.get("removed") or (),
            )
        doc.text = text
        if text is not None and doc.bytes_in is None:
            doc.bytes_in = _size(text)
        if changed is not None:
            doc.changed = changed
        elif doc.changed is None:
            doc.changed = _changed(text, doc.output, doc.changes, doc.removed)
        longest = max(len(text or ""), len(doc.output or ""))
        if longest > max_text:
            doc.text = doc.output = None
            doc.omitted = f"texts over {max_text:,} characters are not shown"
        return doc

    def write(self, out: TextIO) -> dict[str, Any]:
        """Write the document's JSON; return its index entry (name, state, counts).

        Its keys: name, status, message, changed, the encoding's details, bytes_in,
        bytes_out, input, output, omitted, align (see `align`; null when the texts
        cannot be traced), changes (`[stage, line, before, after, reason]`, then
        `kind` and `block` when set) and removed (`[line, label, text, reason]`, then
        `block`). Lines are 1-based in the text the stage received."""
        changes = self.changes
        removed = self.removed
        aligned = None
        if self.status == "ok" and self.text is not None and self.output is not None:
            changes = [_change_row(c) for c in changes]
            removed = [_removed_row(r) for r in removed]
            aligned = align(self.text, changes, removed, self.output)
            if aligned is not None:
                _elide(self.text, self.output, changes, removed, aligned)
        head = {
            "name": self.name,
            "status": self.status,
            "message": self.message,
            "changed": self.changed,
            **self.details,
            "bytes_in": self.bytes_in,
            "bytes_out": self.bytes_out,
            "input": self.text,
            "output": self.output,
            "omitted": self.omitted,
            "align": aligned.to_dict() if aligned is not None else None,
        }
        out.write(_json(head)[:-1])
        stages: Counter[str] = Counter()
        labels: Counter[str] = Counter()
        out.write(',"changes":[')
        for number, item in enumerate(changes):
            row = item if isinstance(item, list) else _change_row(item)
            if len(row) < 6 or row[5] is None:  # (not a stage over its budget)
                stages[row[0]] += 1
            out.write(("," if number else "") + _json(row))
        out.write('],"removed":[')
        for number, item in enumerate(removed):
            row = item if isinstance(item, list) else _removed_row(item)
            labels[row[1]] += 1
            out.write(("," if number else "") + _json(row))
        out.write("]}")
        meta: dict[str, Any] = {"n": self.name, "s": self.status}
        if self.status == "ok":
            meta.update(
                c=int(bool(self.changed)),
                e=self.details.get("encoding"),
                b=[self.bytes_in, self.bytes_out],
                cs=dict(stages),
                rl=dict(labels),
            )
            if self.details.get("skipped"):
                meta["o"] = 1
            if self.details.get("replaced"):
                meta["r"] = self.details["replaced"]
        else:
            meta["x"] = self.message
        return meta

    def count(self, summary: Summary, meta: dict[str, Any]) -> None:
        """Add the document to the run's figures."""
        if self.status == "failed":
            summary.failed += 1
            if len(summary.failures) < SUMMARY_FAILURES:
                summary.failures.append((self.name, self.message or ""))
            return
        if self.status == "skipped":
            summary.skipped += 1
            return
        summary.changed += bool(self.changed)
        summary.bytes_in += self.bytes_in or 0
        summary.bytes_out += self.bytes_out or 0
        summary.changes.update(meta["cs"])
        summary.changed_by.update(meta["cs"].keys())
        summary.removed.update(meta["rl"])
        summary.removed_from.update(meta["rl"].keys())
        encoding = str(self.details.get("encoding") or "text")
        if encoding in summary.encodings or len(summary.encodings) < SUMMARY_ENCODINGS:
            summary.encodings[encoding] += 1
        else:
            summary.encodings["other"] += 1
        summary.over_budget += bool(self.details.get("skipped"))
        summary.replaced += bool(self.details.get("replaced"))


def _failure(err: BaseException) -> str:
    message = str(err)
    return f"{err.__class__.__name__}: {message}" if message else err.__class__.__name__


def _changed(
    text: str | None, output: str | None, changes: Iterable[Any], removed: Iterable[Any]
) -> bool:
    if text is not None and output is not None:
        return text != output
    return bool(isinstance(changes, Sequence) and changes) or bool(
        isinstance(removed, Sequence) and removed
    )


def _size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def _change_row(change: Change | Mapping[str, Any]) -> list[Any]:
    """`[stage, line, before, after, reason]`, then `kind` and `block` when set."""
    if isinstance(change, Change):
        row: list[Any] = [change.stage, change.line, change.before, change.after, change.reason]
        if change.kind is not None:
            row.append(change.kind)
        return row
    row = [change["stage"], change.get("line"), change["before"], change["after"]]
    row.append(change["reason"])
    if change.get("kind") is not None or change.get("block") is not None:
        row += [change.get("kind"), change.get("block")]
    return row


def _removed_row(change: Change | Mapping[str, Any]) -> list[Any]:
    """`[line, label, text, reason]`, then `block` when set."""
    if isinstance(change, Change):
        return [change.line, change.label, change.before, change.reason]
    row = [change.get("line"), change["label"], change["before"], change["reason"]]
    if change.get("block") is not None:
        row.append(change["block"])
    return row


# --- input beside output ---------------------------------------------------------------


@dataclass(frozen=True)
class Alignment:
    """Where each change, removed line and output line comes from: an index into the
    input's lines (`text.split("\\n")`), or -1 where that is not known."""

    changes: list[int]
    removed: list[int]
    output: list[int]  # one per line of `output.split("\\n")` (-1 for blank lines)
    exact: bool  # every output line was traced (not matched by its text)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Line:
    text: str
    origin: int  # the input line it comes from


def align(
    text: str, changes: Sequence[Sequence[Any]], removed: Sequence[Sequence[Any]], output: str
) -> Alignment | None:
    """Trace the lines of `output` and of the `removed` rows back to the lines of the
    input `text`, by replaying the `changes` rows (`_change_row`) on its lines stage by
    stage, as the pipeline made them: each stage's line numbers count in the text it
    received, a line may become several (a block tag's line break), the input hygiene
    normalises line ends and strips lines (changes of the whole text). None when the
    text was replaced whole (an HTML page's article) or the changes are per block."""
    lines = [_Line(line, number) for number, line in enumerate(text.split("\n"))]
    origins = [-1] * len(changes)
    numbered: list[tuple[int, Sequence[Any]]] = []  # one stage's changes to lines
    previous: tuple[str, int] | None = None
    for index, change in enumerate(changes):
        stage, line, reason = change[0], change[1], change[4]
        if len(change) > 6 and change[6] is not None:
            return None  # lines counted within blocks
        if stage == "junk" or stage == "layout":
            break
        if line is None:
            lines = _replayed(lines, numbered, origins)
            numbered = []
            previous = None
            if stage == "extract":
                return None
            if stage == "input" and reason.endswith("became LF"):
                ends = _LINE_END_OR_NEL if "NEL" in reason else LINE_END
                lines = [
                    _Line(piece, line_.origin)
                    for line_ in lines
                    for piece in ends.split(line_.text)
                ]
            elif stage == "input" and reason.startswith("indentation and trailing blanks"):
                lines = [_Line(line_.text.strip(EDGE_BLANKS), line_.origin) for line_ in lines]
            continue
        if previous is not None and (previous[0] != stage or line < previous[1]):
            lines = _replayed(lines, numbered, origins)
            numbered = []
        numbered.append((index, change))
        previous = (stage, line)
    lines = _replayed(lines, numbered, origins)
    gone = [-1] * len(removed)
    removed_lines: set[int] = set()
    by_text: dict[str, list[int]] | None = None
    for index, row in enumerate(removed):
        number, before = row[0], row[2]
        if len(row) > 4 and row[4] is not None:
            return None
        if (
            isinstance(number, int)
            and 0 < number <= len(lines)
            and lines[number - 1].text.strip(EDGE_BLANKS) == before.strip(EDGE_BLANKS)
        ):
            gone[index] = lines[number - 1].origin
            removed_lines.add(number - 1)
            continue
        if by_text is None:
            by_text = {}
            for position, line_ in enumerate(lines):
                by_text.setdefault(line_.text.strip(EDGE_BLANKS), []).append(position)
            by_text_next: dict[str, int] = {}  # the first of each text's lines not yet taken
        key = before.strip(EDGE_BLANKS)
        positions = by_text.get(key, [])
        first = by_text_next.get(key, 0)
        while first < len(positions) and positions[first] in removed_lines:
            first += 1  # (each position is passed once: linear however many rows repeat)
        by_text_next[key] = first
        if first < len(positions):
            gone[index] = lines[positions[first]].origin
            removed_lines.add(positions[first])
    kept = [
        line_
        for position, line_ in enumerate(lines)
        if position not in removed_lines and line_.text.strip(EDGE_BLANKS)
    ]
    out_lines = output.split("\n")
    out_origins = [-1] * len(out_lines)
    wanted = [(n, line) for n, line in enumerate(out_lines) if line.strip(EDGE_BLANKS)]
    ours = [line_.text.strip(EDGE_BLANKS) for line_ in kept]
    theirs = [line.strip(EDGE_BLANKS) for _, line in wanted]
    exact = ours == theirs
    if exact:
        for (n, _), line_ in zip(wanted, kept, strict=True):
            out_origins[n] = line_.origin
    elif len(ours) + len(theirs) > MAX_DIFFED_LINES:
        return None  # (difflib's matching is quadratic in the worst case: shown apart)
    else:
        matcher = difflib.SequenceMatcher(None, ours, theirs, autojunk=False)
        for tag, a1, a2, b1, b2 in matcher.get_opcodes():
            if tag == "equal" or (tag == "replace" and a2 - a1 == b2 - b1):
                for offset in range(b2 - b1):
                    out_origins[wanted[b1 + offset][0]] = kept[a1 + offset].origin
    return Alignment(origins, gone, out_origins, exact)


def _elide(
    text: str,
    output: str,
    changes: list[list[Any]],
    removed: list[list[Any]],
    aligned: Alignment,
) -> None:
    """Leave out (as null) the texts of `changes` and `removed` rows that the page's
    script derives from the input and output lines, which are on the page anyway: the
    line each change was made to (`before`, when it is the whole line as the changes
    before left it), the output line it became (`after`), the removed line. A line goes
    through up to five stages, each change holding it twice: most of a page's size
    without this. The rule is the script's own (`derive` there): the line of input line
    `o` starts as that line without its edge blanks; a change whose `before` is the
    whole line makes it `after`, one whose `before` is a part of it replaces that part."""
    inputs = text.split("\n")
    outputs: dict[int, list[str]] = {}
    for line, origin in zip(output.split("\n"), aligned.output, strict=True):
        if origin >= 0 and line.strip(EDGE_BLANKS):
            outputs.setdefault(origin, []).append(line.strip(EDGE_BLANKS))
    current: dict[int, str] = {}
    for row, origin in zip(changes, aligned.changes, strict=True):
        if origin < 0 or not 0 <= origin < len(inputs):
            continue
        now = current.get(origin)
        if now is None:
            now = inputs[origin].strip(EDGE_BLANKS)
        before, after = row[2], row[3]
        if before == now:
            current[origin] = after
            row[2] = None
        elif before and before in now:
            current[origin] = now.replace(before, after, 1)
        if origin in outputs and after == "\n".join(outputs[origin]):
            row[3] = None
    for row, origin in zip(removed, aligned.removed, strict=True):
        if origin >= 0 and row[2] == current.get(origin, inputs[origin].strip(EDGE_BLANKS)):
            row[2] = None


def _replayed(
    lines: list[_Line], numbered: list[tuple[int, Sequence[Any]]], origins: list[int]
) -> list[_Line]:
    """`lines` with one stage's numbered changes made (recording the input line each
    change was made to); a line that became several keeps its origin in each."""
    if not numbered:
        return lines
    texts: dict[int, str] = {}
    for index, (_, line, before, after, *_rest) in numbered:
        position = line - 1
        if not 0 <= position < len(lines):
            continue
        origins[index] = lines[position].origin
        current = texts.get(position, lines[position].text)
        if before == current:
            texts[position] = after
        elif before and before in current:
            texts[position] = current.replace(before, after, 1)
        elif "\n" in before:
            # A comment or script body over several lines: markup keeps its line ends.
            span = before.count("\n")
            joined = "\n".join(
                texts.get(p, lines[p].text)
                for p in range(position, min(position + span + 1, len(lines)))
            )
            if before in joined:
                kept_ends = after if after.count("\n") == span else "\n" * span
                pieces = joined.replace(before, kept_ends, 1).split("\n")
                for offset, piece in enumerate(pieces):
                    texts[position + offset] = piece
        elif numbered[0][1][0] != "repair":
            texts[position] = after  # the stage saw the line so: trust its record
    replayed: list[_Line] = []
    for position, line_ in enumerate(lines):
        new = texts.get(position)
        if new is None:
            replayed.append(line_)
        else:
            replayed += [_Line(piece, line_.origin) for piece in new.split("\n")]
    return replayed


# --- HTML ------------------------------------------------------------------------------


def _json(value: Any) -> str:
    """Compact JSON that is safe inside a `<script>` element (no `<`, `>` or `&`, so no
    `</script>` or `<!--`) and in any text stream (lone surrogates as escapes)."""
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    data = data.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    if _SURROGATE.search(data):  # (only ever inside a JSON string)
        data = _SURROGATE.sub(lambda m: f"\\u{ord(m[0]):04x}", data)
    return data


def _text(value: object) -> str:
    """`value` as HTML text or attribute value (lone surrogates as U+FFFD)."""
    text = html.escape(str(value), quote=True)
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def _bytes(count: int) -> str:
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if count >= size:
            return f"{count / size:,.1f} {unit}"
    return f"{count:,} B"


def _summary_html(summary: Summary) -> str:
    cards = [
        (f"{summary.documents:,}", "documents", ""),
        (f"{summary.changed:,}", "changed", ""),
        (f"{summary.failed:,}", "failed", " bad" if summary.failed else ""),
        (f"{_bytes(summary.bytes_in)} → {_bytes(summary.bytes_out)}", "bytes in → out", ""),
    ]
    if summary.skipped:
        cards.append((f"{summary.skipped:,}", "skipped", ""))
    if summary.over_budget:
        cards.append((f"{summary.over_budget:,}", "over a work budget", " bad"))
    if summary.replaced:
        cards.append((f"{summary.replaced:,}", "with bytes replaced", " bad"))
    parts = ['<section id="summary" class="summary"><h2>Run summary</h2><div class="cards">']
    parts += [
        f'<div class="card{extra}"><b>{_text(value)}</b><span>{_text(what)}</span></div>'
        for value, what, extra in cards
    ]
    parts.append('</div><div class="tables">')
    stages = [s for s in STAT_STAGES if s in summary.changes]
    stages += sorted(s for s in summary.changes if s not in STAT_STAGES)
    rows = [
        f'<tr><td>{_text(s)}</td><td class="n" data-stage="{_text(s)}">'
        f"{summary.changes[s]:,}</td><td class=n>{summary.changed_by[s]:,}</td></tr>"
        for s in stages
    ]
    parts.append(_table("Changes by stage", ("stage", "changes", "documents"), rows))
    labels = [label for label in JUNK_LABELS if label in summary.removed]
    labels += sorted(label for label in summary.removed if label not in JUNK_LABELS)
    rows = [
        f'<tr><td><span class="chip l-{_text(label)}">{_text(label)}</span></td>'
        f'<td class="n" data-label="{_text(label)}">{summary.removed[label]:,}</td>'
        f"<td class=n>{summary.removed_from[label]:,}</td></tr>"
        for label in labels
    ]
    parts.append(_table("Removed lines by label", ("label", "lines", "documents"), rows))
    rows = [
        f"<tr><td>{_text(encoding)}</td><td class=n>{count:,}</td></tr>"
        for encoding, count in summary.encodings.most_common()
    ]
    parts.append(_table("Encodings", ("encoding", "documents"), rows))
    rows = [
        f'<tr><td class="name">{_text(name)}</td><td>{_text(message)}</td></tr>'
        for name, message in summary.failures
    ]
    if summary.failed > len(summary.failures):
        more = summary.failed - len(summary.failures)
        rows.append(f'<tr><td colspan=2 class="more">and {more:,} more (list: failed)</td></tr>')
    parts.append(_table(f"Failures ({summary.failed:,})", ("document", "error"), rows, "fails"))
    parts.append("</div></section>\n")
    return "".join(parts)


def _table(caption: str, heads: tuple[str, ...], rows: list[str], extra: str = "") -> str:
    head = "".join(f"<th>{_text(h)}</th>" for h in heads)
    body = "".join(rows) or f'<tr><td colspan={len(heads)} class="none">none</td></tr>'
    return (
        f'<table class="t {extra}"><caption>{_text(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def iter_documents(html_page: str) -> Iterator[dict[str, Any]]:
    """The documents' JSON of a page written here, in order (for tests and tools)."""
    for match in re.finditer(
        r'<script type="application/json" class="d" id="d\d+">(.*?)</script>', html_page, re.S
    ):
        yield json.loads(match[1])


_ONERROR = (
    "window.onerror=function(m,s,l,c){var d=document,b=d.getElementById('js-error');"
    "if(!b){b=d.createElement('pre');b.id='js-error';b.className='js-error';"
    "(d.body||d.documentElement).prepend(b);}"
    "b.textContent+='JavaScript error: '+m+' (line '+l+':'+c+')\\n';};"
)

_HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="textmend {version}">
<title>{title}</title>
<style>{css}</style>
<script>{onerror}</script>
</head>
<body>
<header class="top"><h1>{title}</h1><span class="run">textmend {version} · {made}</span></header>
<div id="summary-slot"></div>
<div class="app">
<aside class="side">
<div class="filters">
<input id="q" type="search" placeholder="Filter by name" aria-label="Filter by name">
<select id="state" aria-label="State"><option value="">every state</option>
<option value="changed">changed</option><option value="unchanged">unchanged</option>
<option value="failed">failed</option><option value="skipped">skipped</option></select>
<select id="with" aria-label="With"><option value="">with anything</option></select>
</div>
<div id="count" class="count"></div>
<ol id="list" class="list"></ol>
<div class="pager"><button id="prev" type="button" title="Previous page (p)">‹</button>
<span id="page"></span><button id="next" type="button" title="Next page (n)">›</button></div>
</aside>
<main id="doc" class="doc"><p class="hint">The documents are shown with JavaScript.</p></main>
</div>
"""
