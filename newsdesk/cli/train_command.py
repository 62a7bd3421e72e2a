"""``newsdesk train-reader``: the reading model's training command (see :mod:`newsdesk.qa.reader.train`)."""

from __future__ import annotations

import argparse

__all__ = ["register", "run_trainer"]


def run_trainer(options: list[str]) -> int:
    """Run the trainer with its own command-line options."""
    from newsdesk.qa.reader.train import main

    return main(options)


def _run(args: argparse.Namespace) -> int:
    return run_trainer(args.options)


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add ``train-reader``; its options are :mod:`newsdesk.qa.reader.train`'s (``newsdesk train-reader --help``)."""
    train = sub.add_parser(
        "train-reader",
        help="fine-tune the reading model from MiniLM (long; resumable)",
        add_help=False,
        description="Options are passed on to python -m newsdesk.qa.reader.train.",
    )
    train.add_argument("options", nargs=argparse.REMAINDER, help="see newsdesk train-reader --help")
    train.set_defaults(run=_run)
