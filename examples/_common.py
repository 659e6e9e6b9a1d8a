"""Shared command line of the examples: ``--quick`` and ``--output``."""

from __future__ import annotations

import argparse
from pathlib import Path


def parse(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="small data, few epochs: seconds")
    parser.add_argument("--output", default=None, help="folder for the figures")
    arguments = parser.parse_args()
    name = Path(parser.prog).stem
    arguments.output = Path(arguments.output or Path("example_output") / name)
    arguments.output.mkdir(parents=True, exist_ok=True)
    return arguments
