#!/usr/bin/env python3
"""factpress command line: a thin entry to the engine (see factpress/cli.py)."""

import sys

from factpress.cli import main

if __name__ == "__main__":
    sys.exit(main())
