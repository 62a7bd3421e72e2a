"""The reading model: an extractive reader trained from MiniLM and shipped in ``model/``.

- :mod:`qa.reader.windows`: the text a reader reads (a sentence and its neighbours);
- :mod:`qa.reader.encoding`, :mod:`qa.reader.spans`: inputs in, best span out;
- :mod:`qa.reader.reader`: loading the shipped model and reading;
- :mod:`qa.reader.examples`, :mod:`qa.reader.train`, :mod:`qa.reader.card`: the training command.
"""

from qa.reader.config import ReaderConfig, TrainingConfig
from qa.reader.spans import SpanScore
from qa.reader.windows import Window, window_around

__all__ = ["ReaderConfig", "SpanScore", "TrainingConfig", "Window", "window_around"]
