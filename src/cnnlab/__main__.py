"""``python -m cnnlab``: the ``cnnlab`` command."""

import sys

from cnnlab.cli import main

sys.exit(main())
