"""textmend in other corpus tools: a datatrove pipeline step, and the Hugging Face
`datasets.map(batched=True, num_proc=N)` recipe of docs/library.md."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

import textmend

TEXTS = [
    "Plain English stays as it is.",
    "鍙戝竷浼氫笂锛屼粬璇达細鈥滄垜浠細缁х画鍔姏銆傗€",
    "政務(wù)微博的發展，記者報道。",
    "x<br>y &amp; z",
    "CafÃ© au lait",
]


def expected(text: str) -> str:
    return textmend.clean(text).removesuffix("\n")


def test_datatrove_step_cleans_and_records_stats() -> None:
    pytest.importorskip("datatrove")
    from datatrove.data import Document

    from textmend.datatrove import TextmendFormatter

    documents = [Document(text=t, id=str(n)) for n, t in enumerate(TEXTS)]
    documents.append(Document(text=bytes(range(256)), id="bad"))  # type: ignore[arg-type]
    step = TextmendFormatter()
    out = list(step(iter(documents)))
    assert [d.text for d in out[:-1]] == [expected(t) for t in TEXTS]
    assert out[1].metadata["textmend_changes_repair"] > 0
    assert out[0].metadata["textmend_bytes_in"] == len(TEXTS[0])
    assert out[-1].metadata["textmend_error"].startswith("BinaryInputError")
    assert step.stats["failed"].total == 1 and step.stats["total"].total == len(documents)


def test_datatrove_step_in_a_real_pipeline(tmp_path: Path) -> None:
    pytest.importorskip("datatrove")
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from textmend.datatrove import TextmendFormatter

    source = tmp_path / "in"
    source.mkdir()
    lines = [json.dumps({"text": t, "id": str(n)}, ensure_ascii=False) for n, t in enumerate(TEXTS)]
    (source / "part.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    pipeline = [
        JsonlReader(str(source)),
        TextmendFormatter(),
        JsonlWriter(str(tmp_path / "out")),
    ]
    LocalPipelineExecutor(pipeline, tasks=1, workers=1, logging_dir=str(tmp_path / "logs")).run()
    written = [
        json.loads(line)
        for path in sorted((tmp_path / "out").glob("*.jsonl.gz"))
        for line in gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()
    ]
    assert [record["text"] for record in written] == [expected(t) for t in TEXTS]
    assert all("textmend_bytes_in" in record["metadata"] for record in written)


def test_datasets_map_recipe_gives_the_serial_output() -> None:
    datasets = pytest.importorskip("datasets")
    cleaner = textmend.Cleaner()

    def clean_batch(batch: dict[str, list[str]]) -> dict[str, list[str]]:
        return {"text": [cleaner.clean(text).removesuffix("\n") for text in batch["text"]]}

    dataset = datasets.Dataset.from_dict({"text": TEXTS * 20, "n": list(range(100))})
    cleaned = dataset.map(clean_batch, batched=True, batch_size=16, num_proc=2)
    assert cleaned["text"] == [expected(t) for t in TEXTS * 20]
    assert cleaned["n"] == list(range(100))
