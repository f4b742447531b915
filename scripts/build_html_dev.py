"""Rebuild benchmarks/data/html_dev/: Chinese web pages with hand-made main-text references.

Source: immortal-autumn/Chinese-Web-Content-Extraction-Dataset (GitHub, MIT licence): 69 saved
Chinese pages (`original/<uuid>.html`) whose main text its author copied by hand out of each
page into `cleaned/<uuid>.txt` (its README: "totally handcrafted", "Contents are extracted by
copying the whole content area to a txt file"). The site and kind of every page were read off
the page (links, title, layout) by the builder and are written in SITES below.

What the script does per page: the reference is stored as given (UTF-8, gzip); the page is
stored gzip-compressed, byte for byte, except where it is neither UTF-8 nor declares a charset
(saved GBK pages whose <meta> was lost): those are transcoded from GB18030 to UTF-8 so that the
benchmark's decoding (bench_junk.decode_html) reads the text the page showed; the manifest says
which. A page is left out if its bytes are a page of magic_html or its reference has a
character-bigram F1 above 0.5 with a magic_html text (none is; the highest is 0.26).

The split is by site and fixed here: the sites are put in the order of sha256("html_dev/" +
site) and taken into the tuning part in that order until it holds at least 60 % of the pages;
the other sites are the checking part. No site is in both parts; no score was looked at.

Run: python scripts/build_html_dev.py GIT_DIR [MAGIC_HTML_DIR]
(GIT_DIR: a clone or bare mirror of the source repository; git must be on PATH.)
"""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "data" / "html_dev"
REPO = "immortal-autumn/Chinese-Web-Content-Extraction-Dataset"
LICENCE = "MIT"
HOW = (
    "by hand: the dataset's author copied the page's content area into a text file "
    "(source README: 'totally handcrafted')"
)
TUNING_SHARE = 0.6
DEFAULT_MAGIC = ROOT.parent / "shared" / "corpora" / "html" / "magic_html"

sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_junk import bigrams, decode_html, score  # noqa: E402

# uuid prefix -> (site, kind); kind: article (news, articles, papers, government notices),
# blog, forum (a thread or post on a bulletin board).
SITES: dict[str, tuple[str, str]] = {
    "05e98007": ("boxun.com", "article"),
    "064b591b": ("yesky.com", "blog"),
    "0d931936": ("sina.com.cn", "article"),
    "0df12126": ("cl2000.com", "article"),
    "0ef8393b": ("rfi.fr", "article"),
    "2168485b": ("pku.edu.cn", "article"),
    "2397c95d": ("hanspub.org", "article"),
    "274a65d9": ("dahe.cn", "article"),
    "2bac7fb2": ("yahoo.com", "article"),
    "33a95b71": ("sohu.com", "article"),
    "35687fb1": ("chinesenewsnet.com", "blog"),
    "36efbc69": ("yzwb.net", "article"),
    "3832838a": ("yahoo.com", "article"),
    "386d70f8": ("newssc.org", "forum"),
    "3e1af229": ("shjnet.cn", "article"),
    "455de1c0": ("myrice.com", "article"),
    "47f387e6": ("cbzw.com.cn", "article"),
    "4fa9dfe4": ("bjmu.edu.cn", "article"),
    "500b350d": ("bynr.gov.cn", "article"),
    "54e89e4e": ("joycode.com", "blog"),
    "59562291": ("wenxuecity.com", "blog"),
    "5acac71b": ("163.com", "article"),
    "5dc3fa2d": ("beijingspring.com", "article"),
    "658d9f03": ("bilibili.com", "blog"),
    "6650f72a": ("boxun.com", "article"),
    "6820ebe7": ("qianlong.com", "article"),
    "6dc2d508": ("zol.com.cn", "forum"),
    "77fa9435": ("pku.edu.cn", "forum"),
    "7c6d2080": ("sohu.com", "article"),
    "8baa71e3": ("sohu.com", "article"),
    "8cb7b39d": ("sina.com.cn", "article"),
    "8f1cdd94": ("wenxuecity.com", "blog"),
    "91bdf33e": ("henandaily.cn", "article"),
    "93498c29": ("sohu.com", "article"),
    "9890f458": ("yndaily.com", "article"),
    "9b1e5dcb": ("netsh.com", "forum"),
    "a0cb0242": ("xinhuanet.com", "article"),
    "a6e8b739": ("cctv.com", "forum"),
    "ab65832c": ("blogchina.com", "blog"),
    "aefcf136": ("chinatibetnews.com", "article"),
    "b26fbb82": ("people.com.cn", "article"),
    "b4c2eccd": ("163.com", "article"),
    "b70f455d": ("cl2000.com", "article"),
    "b828b656": ("donews.com", "blog"),
    "bbdf5079": ("yahoo.com", "article"),
    "c25d25c2": ("yahoo.com", "article"),
    "c268c1b4": ("yahoo.com", "article"),
    "c2d9f85c": ("163.com", "forum"),
    "c38e2b2d": ("china-pub.com", "blog"),
    "c3a80850": ("263.net", "article"),
    "c3f7d079": ("qianlong.com", "article"),
    "c4d032a1": ("tywbw.com", "article"),
    "caee0a34": ("beijingspring.com", "article"),
    "d02c66a2": ("joelonsoftware.com", "blog"),
    "d232c5df": ("nmg.gov.cn", "article"),
    "d519ec93": ("163.com", "forum"),
    "d5bced5e": ("wikipedia.org", "article"),
    # two Christian reading pages that link to each other's host: one site, to be safe
    "d7605742": ("cclw.net", "article"),
    "d8d4c4ec": ("sohu.com", "article"),
    "d96c76b7": ("51offer.com", "article"),
    "e3f3b532": ("sina.com.cn", "article"),
    "e4232eb3": ("yahoo.com", "forum"),
    "e8847578": ("jl.gov.cn", "article"),
    "ebe9df29": ("sohu.com", "article"),
    "ecbe8d49": ("163.com", "article"),
    "f51248cc": ("yzwb.net", "article"),
    "f70d9c97": ("cnr.cn", "article"),
    "fad52388": ("cclw.net", "article"),
    "fddcb19c": ("beijingspring.com", "article"),
}


def split(pages_per_site: Counter[str]) -> dict[str, str]:
    """Site -> part: sites in hash order go to tuning until it has TUNING_SHARE of the pages."""
    order = sorted(pages_per_site, key=lambda s: hashlib.sha256(f"html_dev/{s}".encode()).digest())
    parts, taken, total = {}, 0, sum(pages_per_site.values())
    for site in order:
        parts[site] = "tuning" if taken < TUNING_SHARE * total else "checking"
        if parts[site] == "tuning":
            taken += pages_per_site[site]
    return parts


def git(git_dir: Path, *args: str) -> bytes:
    return subprocess.run(
        ["git", "--git-dir", str(git_dir), *args], check=True, capture_output=True
    ).stdout


def magic_html_index(base: Path) -> tuple[set[str], list[str]]:
    """sha256 of magic_html's page files and its hand-checked texts."""
    hashes = {hashlib.sha256(p.read_bytes()).hexdigest() for p in base.rglob("*.html")}
    lines = (base / "ground_truth_docs.jsonl").read_text(encoding="utf-8").splitlines()
    return hashes, [json.loads(line)["text"] for line in lines if line.strip()]


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    git_dir = Path(argv[0])
    magic = Path(argv[1]) if len(argv) > 1 else DEFAULT_MAGIC
    commit = git(git_dir, "rev-parse", "HEAD").decode().strip()
    names = git(git_dir, "ls-tree", "--name-only", "HEAD", "original/").decode().split()
    magic_hashes, magic_texts = magic_html_index(magic)
    (OUT / "pages").mkdir(parents=True, exist_ok=True)
    (OUT / "refs").mkdir(parents=True, exist_ok=True)
    rows = []
    for name in sorted(names):
        uuid = Path(name).stem
        site, kind = SITES[uuid[:8]]
        page = git(git_dir, "show", f"HEAD:{name}")
        ref_path = f"cleaned/{uuid}.txt"
        reference = git(git_dir, "show", f"HEAD:{ref_path}").decode("utf-8")
        ref_bigrams = bigrams(reference)
        if hashlib.sha256(page).hexdigest() in magic_hashes or any(
            score(other, ref_bigrams).f1 > 0.5 for other in magic_texts
        ):
            print(f"left out (in magic_html): {name}")
            continue
        _, codec = decode_html(page)
        note = ""
        if codec == "utf-8 (replaced)":
            page = page.decode("gb18030", errors="replace").encode("utf-8")
            note = "no charset declared, not UTF-8: transcoded GB18030 -> UTF-8"
        page_id = f"cwced-{uuid[:8]}"
        (OUT / "pages" / f"{page_id}.html.gz").write_bytes(gzip.compress(page, mtime=0))
        (OUT / "refs" / f"{page_id}.txt").write_text(reference, encoding="utf-8")
        rows.append(
            {
                "id": page_id,
                "page": f"pages/{page_id}.html.gz",
                "reference": f"refs/{page_id}.txt",
                "site": site,
                "kind": kind,
                "source_repo": REPO,
                "source_path": name,
                "source_reference": ref_path,
                "commit": commit,
                "licence": LICENCE,
                "reference_made": HOW,
                "stored": note or "page bytes as in the source",
            }
        )
    parts_of = split(Counter(row["site"] for row in rows))
    rows = [{**row, "part": parts_of[row["site"]]} for row in rows]
    with (OUT / "manifest.jsonl").open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    parts = Counter((row["part"], row["kind"]) for row in rows)
    sites = Counter((row["part"], row["site"]) for row in rows)
    print(f"{len(rows)} pages; {dict(parts)}")
    print(f"sites: {dict(sites)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
