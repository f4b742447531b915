"""Start-up stays fast: importing the package and the CLI loads no heavy library."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("ftfy", "charset_normalizer", "opencc", "pypinyin", "chardet")


def test_import_loads_no_heavy_module() -> None:
    code = (
        "import sys, textmend, textmend.cli, textmend.pipeline; "
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_ascii_text_needs_no_chinese_machinery() -> None:
    code = (
        "import sys, textmend; textmend.clean(b'plain text, nothing to fix'); "
        "print(sorted(m for m in ('opencc', 'pypinyin') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
