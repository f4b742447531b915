"""Shared fixtures: the bundled sample and the read-only ../shared material."""

from __future__ import annotations

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
