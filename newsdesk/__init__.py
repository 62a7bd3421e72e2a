"""newsdesk: question answering over news articles, with verbatim supporting quotes.

Layers, each importing only those above it:

1. core (``newsdesk.qa``: types, errors, ids, text, dates);
2. stages (``newsdesk.qa.ingest``, ``.embedding``, ``.retrieval``, ``.answering``, ``.reader``, ``.chat``)
   and their composition over a storage interface (``newsdesk.qa.pipeline``);
3. storage backends (``newsdesk.index``);
4. the facade :class:`newsdesk.desk.Newsdesk` and :mod:`newsdesk.settings`;
5. edges: the HTTP API (``newsdesk.api``), evaluation (``newsdesk.eval``), the CLI (``newsdesk.cli``).
"""

__version__ = "0.1.0"
