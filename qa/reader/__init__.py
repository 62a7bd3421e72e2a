"""The reading model: an extractive reader trained from MiniLM and shipped in ``model/``.

- :mod:`newsdesk.qa.reader.windows`: the text a reader reads (a sentence and its neighbours);
- :mod:`newsdesk.qa.reader.encoding`, :mod:`newsdesk.qa.reader.spans`: inputs in, best span out;
- :mod:`newsdesk.qa.reader.reader`: loading the shipped model and reading;
- :mod:`newsdesk.qa.reader.examples`, :mod:`newsdesk.qa.reader.train`, :mod:`newsdesk.qa.reader.card`: the training command.
"""

from newsdesk.qa.reader.config import ReaderConfig, TrainingConfig
from newsdesk.qa.reader.spans import SpanScore
from newsdesk.qa.reader.windows import Window, window_around

__all__ = ["ReaderConfig", "SpanScore", "TrainingConfig", "Window", "window_around"]
