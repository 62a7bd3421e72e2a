"""The ``newsdesk`` command line: :mod:`.main` parses and dispatches, one module per command group."""

from newsdesk.cli.main import main

__all__ = ["main"]
