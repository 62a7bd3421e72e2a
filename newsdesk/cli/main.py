"""The ``newsdesk`` command: parses the options and runs one command group's module."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from newsdesk.cli import (
    articles,
    asking,
    chat_command,
    db_command,
    eval_command,
    migrate_command,
    serving,
    timeline_command,
    train_command,
    watch_command,
)
from newsdesk.cli.common import UsageError, add_common_options
from newsdesk.qa.errors import NewsdeskError

__all__ = ["build_parser", "main"]

# Each registers its subcommands; the modules import nothing heavy until a command runs.
_COMMANDS = (
    articles, asking, serving, eval_command, chat_command, migrate_command, db_command, train_command, watch_command,
    timeline_command,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsdesk", description="Question answering over news articles, with quotes.")
    # The common options go before or after the command: the command's copy leaves unset ones alone.
    add_common_options(parser, default=None)
    common = argparse.ArgumentParser(add_help=False)
    add_common_options(common, default=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True)
    for module in _COMMANDS:
        module.register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status (0 ok, 1 partly failed, 2 error)."""
    logging.basicConfig(level=logging.WARNING, format="newsdesk: %(message)s")
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["train-reader"]:  # its own parser: every option after it is the trainer's
        from newsdesk.cli.train_command import run_trainer

        return run_trainer(arguments[1:])
    args = build_parser().parse_args(arguments)
    try:
        return int(args.run(args))
    except (NewsdeskError, UsageError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `newsdesk list | head`: the reader left, which is not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (Python flushes stdout again at exit)
        return 0


if __name__ == "__main__":
    sys.exit(main())
