"""The ``habeas`` command.

Each area adds its subcommands through a ``register(subparsers)`` function
(:mod:`habeas.cli.core`, :mod:`habeas.cli.cases`, :mod:`habeas.cli.dna`). A handler returns
an exit code; :class:`CommandError` (or a library error) ends the command with exit code 2
and a one-line reason on stderr.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

AREAS = (
    "habeas.cli.core", "habeas.cli.cases", "habeas.cli.dna", "habeas.cli.documents",
    "habeas.cli.deadlines", "habeas.cli.petitions", "habeas.cli.reference", "habeas.cli.worker",
    "habeas.cli.security",
)


class CommandError(Exception):
    """A user-facing failure: printed as one line, exit code 2."""


_migrated = False


def setup_django(*, migrate: bool = True) -> None:
    """Configure Django for commands that touch the database, and bring the database schema up
    to date (once per process; a no-op when it is current), so that every command works on a
    data folder made by an older habeas. ``migrate=False`` for commands that must not change
    the database (``habeas check``)."""
    global _migrated
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "habeas.settings")
    import django

    django.setup()
    if migrate and not _migrated:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        _migrated = True


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="habeas",
        description="habeas: post-conviction innocence and clemency case work.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in AREAS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("habeas: interrupted", file=sys.stderr)
        return 130
    except CommandError as exc:
        print(f"habeas: error: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # library errors (DNAError, ImportError of a case file, …) are ValueErrors
        print(f"habeas: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"habeas: error: {exc.filename or ''}: {exc.strerror or exc}".replace(": : ", ": "), file=sys.stderr)
        return 2
