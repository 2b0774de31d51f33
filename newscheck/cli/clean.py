"""``newscheck clean``: remove the result cache."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from ..reporters import printable
from .common import EXIT_OK, UsageError, add_cache_dir_option, add_config_options, configuration


def register(commands: Any) -> None:
    clean = commands.add_parser("clean", help="remove the result cache")
    add_config_options(clean)
    add_cache_dir_option(clean)
    clean.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    # the cache's folder rules and config: not imported to build the parser
    from ..cachedir import CacheDirError, clean
    from ..config import cache_directory, override

    directory = cache_directory(override(configuration(args), cache_dir=args.cache_dir))
    shown = printable(str(directory))
    try:
        left = clean(directory)
    except CacheDirError as error:
        raise UsageError(printable(str(error))) from None
    if left is None:
        out.write(f"No cache at {shown}.\n")
    elif left:
        names = ", ".join(printable(name) for name in left[:5]) + ", …" * (len(left) > 5)
        out.write(
            f"Removed newscheck's files from {shown}; kept the folder, which holds {names}.\n"
        )
    else:
        out.write(f"Removed {shown}.\n")
    return EXIT_OK
