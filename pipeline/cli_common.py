"""What every `quarry` command shares: an expected failure is one line on stderr and exit 2."""
from __future__ import annotations

import sys

EXIT_USAGE = 2


def fail(message: str) -> int:
    """Print `quarry: error: MESSAGE` (never a traceback) and return the usage exit status."""
    print(f"quarry: error: {message}", file=sys.stderr)
    return EXIT_USAGE
