"""Build html_dev's second source, the part `checking2`: Chinese pages of the DAnIEL corpus.

Source: rundimeco/waddle (GitHub, GPL-3.0), `corpora/Corpus_daniel_v2.1`: news pages of
2011-2012 in five languages (`html/<id>`), a main-text reference for each (`reference/<id>`,
one `<p>` a paragraph) and the language of each (`doc_lg.json`). The repository calls it a
"reannotation of the daniel-corpus (Lejeune & Zhu 2018)"; the references were made by people
(see benchmarks/data/html_dev/README.md for what the sources say). Only the pages marked
"Chinese" that have both a page and a reference are read (401).

The output is a directory of its own, laid out as html_dev (manifest.jsonl with the same
fields, pages/<id>.html.gz, refs/<id>.txt), by default benchmarks/data/html_dev2/, which git
ignores: pages and references taken from a fetched repository are not committed to this
project; a copy for everyone belongs in the steering repository's shared/corpora/html/html_dev2/
(benchmarks/bench_html.py reads that one first, then the local one).

What the script does, in this order (all of it decided before any extractor was run on these
pages, and no extractor's output is used):
- the pages are put in the order of sha256("html_dev2/" + file name);
- site = the registrable domain of the host in the file name (go.rss.sina.com.cn -> sina.com.cn);
  a page is left out when its site is a site of html_dev's tuning part (so that checking2 holds
  no site anything was tuned on), or when its site already has PER_SITE pages;
- a page is left out when its visible text (bench_junk.html_to_text, no extraction) holds less
  than MIN_SHOWN of the reference's character bigrams: the page does not show the text (two
  pages are GBK bytes read as Latin-1 and saved again as UTF-8; others show only part of it);
- a page is left out when its bytes are those of a magic_html page or of an html_dev page, or
  when its reference has a character-bigram F1 above 0.5 with a magic_html hand-checked text,
  with an html_dev reference or with one kept before it here (the same wire story on two sites);
- the page is stored gzip-compressed byte for byte; the reference with its `<p>` and `</p>`
  tags taken out (one paragraph a line), nothing else changed.
Every page kept is in the part checking2, never tuned on. Kind: article, except the microblog
page of t.cntv.cn (blog). The output directory's old files are removed first.

Run: python scripts/build_html_dev2.py GIT_DIR [OUT_DIR [MAGIC_HTML_DIR]]
(GIT_DIR: a clone or bare mirror of rundimeco/waddle, built from commit
be875ce12ad9e23ef68ef7f3b0605db6d06bcdb1; git must be on PATH.)
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

from build_html_dev import DEFAULT_MAGIC, git, magic_html_index
from build_html_dev import OUT as HTML_DEV

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from bench_junk import bigrams, decode_html, html_to_text

REPO = "rundimeco/waddle"
BASE = "corpora/Corpus_daniel_v2.1"
OUT = HTML_DEV.parent / "html_dev2"
PREFIX = "daniel-"
PART = "checking2"
LICENCE = "GPL-3.0"
HOW = (
    "by hand: DAnIEL corpus, the main text of each page annotated by people (source: "
    "'reannotation of the daniel-corpus (Lejeune & Zhu 2018)'; 'manually-annotated' in "
    "Barbaresi 2021); who annotated each page is not stated"
)
STORED = "page bytes as in the source; reference with its <p></p> tags taken out"
PER_SITE = 3
MIN_SHOWN = 0.8
MAX_F1 = 0.5
BLOG_HOSTS = frozenset({"t.cntv.cn"})
# second-level suffixes under which a registrable domain has three labels
SECOND_LEVEL = frozenset(
    f"{second}.{country}"
    for country in ("cn", "hk", "tw")
    for second in ("com", "net", "org", "gov", "edu")
)


def site_of(host: str) -> str:
    labels = host.lower().split(".")
    keep = 3 if ".".join(labels[-2:]) in SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def f1(a: Counter[str], b: Counter[str]) -> float:
    overlap = sum((a & b).values())
    if not overlap:
        return 0.0
    p, r = overlap / sum(a.values()), overlap / sum(b.values())
    return 2 * p * r / (p + r)


def shown(page_text: str, reference: Counter[str]) -> float:
    """Share of the reference's bigrams that the page's visible text holds."""
    total = sum(reference.values())
    return sum((bigrams(page_text) & reference).values()) / total if total else 0.0


def html_dev_index() -> tuple[set[str], list[Counter[str]], set[str]]:
    """Page sha256, reference bigrams and tuning sites of html_dev (the first source)."""
    hashes, refs, tuning = set(), [], set()
    for line in (HTML_DEV / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        page = gzip.decompress((HTML_DEV / row["page"]).read_bytes())
        hashes.add(hashlib.sha256(page).hexdigest())
        refs.append(bigrams((HTML_DEV / row["reference"]).read_text(encoding="utf-8")))
        if row["part"] == "tuning":
            tuning.add(row["site"])
    return hashes, refs, tuning


README = """# html_dev2: the part checking2 of html_dev (built, not committed)

Built by scripts/build_html_dev2.py from {repo} `{base}` at commit {commit}.
What it is, how its references were made, its licence ({licence}) and caveats:
benchmarks/data/html_dev/README.md in the textmend repository.
"""


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    git_dir = Path(argv[0])
    out_dir = Path(argv[1]) if len(argv) > 1 else OUT
    magic = Path(argv[2]) if len(argv) > 2 else DEFAULT_MAGIC
    commit = git(git_dir, "rev-parse", "HEAD").decode().strip()
    languages = json.loads(git(git_dir, "show", f"HEAD:{BASE}/doc_lg.json"))

    def listing(folder: str) -> set[str]:
        out = git(git_dir, "ls-tree", "--name-only", "HEAD", f"{BASE}/{folder}/").decode()
        return {Path(line).name for line in out.split()}

    with_ref = listing("reference")
    names = [n for n in listing("html") if n in with_ref and languages.get(n) == "Chinese"]
    names.sort(key=lambda n: hashlib.sha256(f"html_dev2/{n}".encode()).digest())

    known_hashes, known_refs, tuning_sites = html_dev_index()
    magic_hashes, magic_texts = magic_html_index(magic)
    known_hashes |= magic_hashes
    known_refs += [bigrams(text) for text in magic_texts]
    for folder in ("pages", "refs"):
        (out_dir / folder).mkdir(parents=True, exist_ok=True)
        for old in (out_dir / folder).iterdir():
            old.unlink()

    rows, per_site, left_out = [], Counter[str](), Counter[str]()
    for name in names:
        host = name.split("_")[1]
        site = site_of(host)
        if site in tuning_sites:
            left_out["site in the tuning part"] += 1
            continue
        if per_site[site] >= PER_SITE:
            left_out[f"site has {PER_SITE} pages"] += 1
            continue
        page = git(git_dir, "show", f"HEAD:{BASE}/html/{name}")
        raw = git(git_dir, "show", f"HEAD:{BASE}/reference/{name}").decode("utf-8")
        reference = raw.replace("<p>", "").replace("</p>", "")
        ref_bigrams = bigrams(reference)
        if shown(html_to_text(decode_html(page)[0]), ref_bigrams) < MIN_SHOWN:
            left_out["page does not show the reference"] += 1
            continue
        if hashlib.sha256(page).hexdigest() in known_hashes:
            left_out["same bytes as a known page"] += 1
            continue
        if any(f1(ref_bigrams, other) > MAX_F1 for other in known_refs):
            left_out["reference like a known one"] += 1
            continue
        known_refs.append(ref_bigrams)
        per_site[site] += 1
        page_id = f"{PREFIX}{name.rsplit('_', 1)[1][:8]}"
        (out_dir / "pages" / f"{page_id}.html.gz").write_bytes(gzip.compress(page, 9, mtime=0))
        (out_dir / "refs" / f"{page_id}.txt").write_text(reference, encoding="utf-8")
        rows.append(
            {
                "id": page_id,
                "page": f"pages/{page_id}.html.gz",
                "reference": f"refs/{page_id}.txt",
                "site": site,
                "kind": "blog" if host in BLOG_HOSTS else "article",
                "source_repo": REPO,
                "source_path": f"{BASE}/html/{name}",
                "source_reference": f"{BASE}/reference/{name}",
                "commit": commit,
                "licence": LICENCE,
                "reference_made": HOW,
                "stored": STORED,
                "part": PART,
            }
        )
    rows.sort(key=lambda row: row["id"])
    with (out_dir / "manifest.jsonl").open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    (out_dir / "README.md").write_text(
        README.format(repo=REPO, base=BASE, commit=commit, licence=LICENCE), encoding="utf-8"
    )
    kinds = Counter(row["kind"] for row in rows)
    sites = Counter(row["site"] for row in rows)
    print(f"{len(names)} Chinese pages with a reference; {len(rows)} kept; {dict(kinds)}")
    print(f"left out: {dict(left_out)}")
    print(f"{len(sites)} sites: {dict(sorted(sites.items(), key=lambda kv: (-kv[1], kv[0])))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
