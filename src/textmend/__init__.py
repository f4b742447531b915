"""textmend: turn scraped, mis-decoded, machine-converted text back into the author's article.

    >>> import textmend
    >>> textmend.clean(raw_bytes_or_text)
    >>> result = textmend.clean_document(raw, to="simplified")
    >>> result.text, result.encoding, result.changes
    >>> result.skipped  # stages that ran out of their work budget (input kept), usually []
    >>> cleaner = textmend.Cleaner(to="simplified")  # options fixed once
    >>> results = cleaner.clean_many(documents, jobs=0)  # every core, input order

Names are imported lazily so that `import textmend` (and the CLI) start fast.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Change", "Cleaner", "Options", "Result", "clean", "clean_document"]

if TYPE_CHECKING:
    from .options import Options
    from .pipeline import Cleaner, clean, clean_document
    from .result import Change, Result

# The library's log (`textmend.pipeline`, `textmend.extract`, ...): silent unless the
# host configures logging; the CLI shows it with -v.
logging.getLogger(__name__).addHandler(logging.NullHandler())

_LAZY = {
    "clean": "pipeline",
    "clean_document": "pipeline",
    "Cleaner": "pipeline",
    "Options": "options",
    "Result": "result",
    "Change": "result",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
