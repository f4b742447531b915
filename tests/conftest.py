"""Shared fixtures: the bundled sample and the read-only ../shared material."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def sample_bytes() -> bytes:
    return (SAMPLES / "spam_page_zh.txt").read_bytes()


@pytest.fixture(scope="session")
def expected_text() -> str:
    return (SAMPLES / "spam_page_zh.expected.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "corpora").is_dir():
        pytest.skip(f"shared material not found at {SHARED} (it sits beside the project root)")
    return SHARED


CAREFUL = all(find_spec(name) is not None for name in ("readability", "trafilatura"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `careful` skip where its extra is not installed (an sdist's tests
    after `pip install '.[test]'` with the pip a fresh venv brings: see pyproject)."""
    if CAREFUL:
        return
    skip = pytest.mark.skip(reason="textmend[careful] not installed: pip install '.[careful]'")
    for item in items:
        if item.get_closest_marker("careful") is not None:
            item.add_marker(skip)
