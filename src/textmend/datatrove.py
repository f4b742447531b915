"""textmend as a datatrove pipeline step (`pip install 'textmend[datatrove]'`).

    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from textmend.datatrove import TextmendFormatter

    pipeline = [JsonlReader("corpus/"), TextmendFormatter(to="simplified"), JsonlWriter("clean/")]

Each document's text is cleaned with `textmend.clean_document`; its `Result.stats`
go into the document's metadata as `textmend_...` keys (so a later filter can drop
documents on them), and the step's own stats count the documents changed,
unchanged and failed. A document that cannot be cleaned keeps its text and gets
`textmend_error`; none is dropped here (a filter after this step can).
"""

from __future__ import annotations

from typing import Any

from datatrove.pipeline.base import PipelineStep

from .options import Options
from .pipeline import clean_document

PREFIX = "textmend_"


class TextmendFormatter(PipelineStep):
    name = "🩹 textmend"
    type = "✂️ - FORMAT"

    def __init__(self, options: Options | None = None, **overrides: object) -> None:
        super().__init__()
        self.options = Options.from_kwargs(options, **overrides)

    def run(self, data: Any, rank: int = 0, world_size: int = 1) -> Any:
        for document in data:
            self.stat_update("total")
            with self.track_time():
                try:
                    result = clean_document(document.text, self.options)
                except Exception as err:  # one bad document must not stop the shard
                    document.metadata[PREFIX + "error"] = f"{err.__class__.__name__}: {err}"
                    self.stat_update("failed")
                    yield document
                    continue
            text = result.text.removesuffix("\n")
            self.stat_update("changed" if text != document.text else "unchanged")
            document.text = text
            document.metadata.update({PREFIX + key: v for key, v in result.stats().items()})
            yield document
