"""``python -m devtools.stack``: runs the command line of ``devtools.stack.cli``."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
