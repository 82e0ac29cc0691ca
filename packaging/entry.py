"""The bundle's entry point: the ``reader`` command, made safe for a frozen executable.

The importer parses large imports in worker processes started with the "spawn" method. In a
frozen bundle a worker (and multiprocessing's resource tracker) is this same executable started
again with special arguments; ``freeze_support()`` must run first so that such a process does its
multiprocessing job and exits instead of parsing those arguments as a ``reader`` command line.
(PyInstaller's runtime hook makes ``freeze_support()`` work on Linux too, not only on Windows.)
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()

    from reader.cli import main

    sys.exit(main())
