"""Data files derived from other data files stay what their build script writes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from textmend.lexicon import entries

ROOT = Path(__file__).resolve().parents[1]


def _script(name: str) -> object:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_common_cjk_is_what_its_script_builds() -> None:
    """data/common_cjk.txt, read as repair reads it, is the set the charfreq tables give
    (rebuild it with scripts/build_common_cjk.py after build_charfreq.py)."""
    build = _script("build_common_cjk")
    shipped = ROOT / "src" / "textmend" / "data" / "common_cjk.txt"
    assert shipped.read_text(encoding="utf-8") == build.contents()  # type: ignore[attr-defined]
    assert sorted("".join(entries("common_cjk.txt"))) == build.common_chars()  # type: ignore[attr-defined]
