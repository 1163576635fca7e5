"""The ``newsearch`` command: parse options, call the library, print the outcome.

One module per kind of command (``building``, ``reading``, ``serving``) on the
group and shared options of ``shell``; importing them registers the commands.
"""

from . import building, reading, serving  # noqa: F401  (registers the commands)
from .shell import (
    EXIT_BAD_QUERY,
    EXIT_BUSY,
    EXIT_CANNOT_WRITE,
    EXIT_FAILED_FILES,
    EXIT_INTERRUPTED,
    EXIT_NO_INDEX,
    main,
    skip_reason,
)

__all__ = [
    "EXIT_BAD_QUERY",
    "EXIT_BUSY",
    "EXIT_CANNOT_WRITE",
    "EXIT_FAILED_FILES",
    "EXIT_INTERRUPTED",
    "EXIT_NO_INDEX",
    "main",
    "skip_reason",
]
