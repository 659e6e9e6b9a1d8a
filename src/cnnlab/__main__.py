"""``python -m cnnlab``: the ``cnnlab`` command."""

import sys

from cnnlab.cli import main

if __name__ == "__main__":  # not when a tool (Sphinx's autosummary) imports the module
    sys.exit(main())
