"""HTML development set: textmend's article extraction against readability-lxml and trafilatura.

Run: .venv/bin/python benchmarks/bench_html.py [--quick]; --quick is a smoke run (the first 3
pages of each part and kind). Needs readability-lxml and trafilatura. Input:
benchmarks/data/html_dev (manifest.jsonl, pages/*.html.gz, refs/*.txt; see its README.md and
scripts/build_html_dev.py): Chinese pages from sources other than magic_html, each with a
reference text made by hand: from the first source, split by site into a tuning part and a
checking part; from the second (the DAnIEL corpus), the part checking2, none of whose sites is in
the tuning part. checking2 is not committed: it is read from shared/corpora/html/html_dev2 beside
the repository, else from benchmarks/data/html_dev2 (built by scripts/build_html_dev2.py); its
rows are left out when neither is there.

Method: each page's bytes are decoded once with bench_junk.decode_html and the same string goes
to every tool: textmend `clean(html, html=True)` (its own reader, the default) and `clean(html,
html=True, html_reader="careful")` (the readings of readability, trafilatura and the densest
block, the one they agree on); readability-lxml (bench_junk.readability_tool: title, then the
summary as text); trafilatura `extract()` with include_comments=False and the default,
favor_precision and favor_recall settings; "no extraction" = the visible page text
(bench_junk.html_to_text). Score: bench_junk's character- bigram F1 against the reference, mean
per page, per part (tuning, checking, checking2) and kind (article, blog, forum) and over all
pages.
Pages/s per tool: the calls on all pages of the run, one core, in the same process and run;
textmend/trafilatura is the ratio of their total times (the issue's speed bar compares textmend
with trafilatura). The tuning part is for looking at while changing textmend; the checking
parts' figures are the ones to trust, checking2 (another source, never tuned on) most of all.
"""

from __future__ import annotations

import gzip
import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from bench_junk import (
    TRAFILATURA_SETTINGS,
    Timed,
    bigrams,
    decode_html,
    guarded,
    html_to_text,
    readability_tool,
    score,
    textmend_tools,
)
from reporting import Guard, digest, finish, parser, print_table

DATA = Path(__file__).resolve().parent / "data" / "html_dev"
# the part checking2 (scripts/build_html_dev2.py): the shared copy first, then a local build
SECOND = (
    Path(__file__).resolve().parents[2] / "shared" / "corpora" / "html" / "html_dev2",
    DATA.parent / "html_dev2",
)
PACKAGE = Path(__file__).resolve().parents[1] / "src" / "textmend"
PARTS = ("tuning", "checking", "checking2")
CHECKING = ("checking", "checking2")  # never tuned on: pooled in the rows "checking+2"
KINDS = ("article", "blog", "forum")
QUICK_PER_GROUP = 3


@dataclass(frozen=True)
class DevPage:
    id: str
    site: str
    kind: str
    part: str
    markup: str
    reference: Counter[str]


@dataclass
class ToolRun:
    name: str
    timed: Timed
    f1: dict[str, float] = field(default_factory=dict)

    def mean(self, pages: Sequence[DevPage]) -> str:
        values = [self.f1[p.id] for p in pages]
        return f"{statistics.fmean(values):.3f}" if values else "-"


def load(base: Path, quick: bool) -> list[DevPage]:
    """The pages of the manifest (with --quick, the first few of each part and kind)."""
    pages, seen = [], Counter[tuple[str, str]]()
    for line in (base / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        group = (row["part"], row["kind"])
        if quick and seen[group] >= QUICK_PER_GROUP:
            continue
        seen[group] += 1
        markup, _codec = decode_html(gzip.decompress((base / row["page"]).read_bytes()))
        reference = (base / row["reference"]).read_text(encoding="utf-8")
        pages.append(
            DevPage(row["id"], row["site"], row["kind"], row["part"], markup, bigrams(reference))
        )
    return pages


def tools(guard: Guard) -> list[tuple[str, Callable[[str], str]]]:
    textmend_html, _plain, takes_html = textmend_tools()
    if not takes_html:
        print("textmend's clean() does not take html=: called as clean(text)")
    chosen = [("textmend", guarded(guard, "textmend", textmend_html))]
    if takes_html:
        import textmend

        careful = partial(textmend.clean, html=True, html_reader="careful")
        chosen.append(("textmend careful", guarded(guard, "textmend careful", careful)))
    chosen.append(("readability-lxml", guarded(guard, "readability-lxml", readability_tool)))
    for setting in TRAFILATURA_SETTINGS:
        if not setting.include_comments:
            name = f"trafilatura {setting.favor}"
            chosen.append((name, guarded(guard, name, setting.tool())))
    chosen.append(("no extraction", html_to_text))
    return chosen


def run_all(pages: Sequence[DevPage], guard: Guard) -> list[ToolRun]:
    runs = [ToolRun(name, Timed(tool)) for name, tool in tools(guard)]
    for run in runs:
        run.timed(pages[0].markup)  # warm-up (imports, caches), not timed below
        run.timed.seconds, run.timed.calls = 0.0, 0
        for page in pages:
            run.f1[page.id] = score(run.timed(page.markup), page.reference).f1
    return runs


def print_scores(pages: Sequence[DevPage], runs: Sequence[ToolRun]) -> None:
    headers = ["part", "kind", "pages", "sites", *(run.name for run in runs)]
    rows = []
    groups = {part: (part,) for part in PARTS} | {"checking+2": CHECKING, "all": PARTS}
    for part, members in groups.items():
        in_part = [p for p in pages if p.part in members]
        if part == "checking+2" and {p.part for p in in_part} != set(CHECKING):
            continue  # one checking part only: its own rows say it
        for kind in (*KINDS, "all"):
            group = [p for p in in_part if kind in ("all", p.kind)]
            if not group:
                continue
            sites = len({p.site for p in group})
            rows.append([part, kind, str(len(group)), str(sites), *(r.mean(group) for r in runs)])
    rows.append(["pages/s", "", str(len(pages)), "", *(r.timed.rate() for r in runs)])
    print_table("Mean character-bigram F1 against the hand-made reference", headers, rows)


def print_speed(runs: Sequence[ToolRun]) -> None:
    rows = [[run.name, f"{run.timed.seconds:.2f}", run.timed.rate()] for run in runs]
    print_table("Speed (all pages of this run, one core)", ["tool", "seconds", "pages/s"], rows)
    by_name = {run.name: run.timed.seconds for run in runs}
    for ours in ("textmend", "textmend careful"):
        for name in ("trafilatura default", "trafilatura favor_precision"):
            if by_name.get(name) and ours in by_name:
                ratio = by_name[ours] / by_name[name]
                print(f"\n{ours} total time / {name}: {ratio:.2f}x")


def main(argv: Sequence[str] | None = None) -> int:
    args = parser(__doc__, f"the first {QUICK_PER_GROUP} pages of each part and kind").parse_args(
        argv
    )
    if not (DATA / "manifest.jsonl").exists() or not any((DATA / "pages").glob("*.html.gz")):
        print(f"no pages in {DATA}: run scripts/build_html_dev.py GIT_DIR (they are not committed)")
        return 0
    started, measured = time.perf_counter(), digest(PACKAGE)
    pages = load(DATA, args.quick)
    second = next((base for base in SECOND if (base / "manifest.jsonl").exists()), None)
    if second is None:
        print("no checking2 (html_dev2): scripts/build_html_dev2.py builds it")
    else:
        print(f"checking2 from {second}")
        pages += load(second, args.quick)
    parts = Counter(p.part for p in pages)
    print(f"html_dev: {len(pages)} pages ({dict(parts)}), {len({p.site for p in pages})} sites")
    guard = Guard()
    runs = run_all(pages, guard)
    print_scores(pages, runs)
    print_speed(runs)
    guard.print_failures("scored as empty output")
    return finish(PACKAGE, measured, started)


if __name__ == "__main__":
    sys.exit(main())
