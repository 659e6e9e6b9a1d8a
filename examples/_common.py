"""Shared command line of the examples: ``--quick`` and ``--output``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def parse(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="small data, few epochs: seconds")
    parser.add_argument("--output", default=None, help="folder for the figures")
    # known arguments only: in Jupyter, sys.argv holds the kernel's own (-f kernel.json)
    arguments, _ = parser.parse_known_args()
    name = Path(parser.prog).stem
    arguments.output = Path(arguments.output or Path("example_output") / name)
    arguments.output.mkdir(parents=True, exist_ok=True)
    return arguments


def mnist_or_exit():
    """MNIST from CNNLAB_DATA or the cache, or a clear message and a clean exit without it."""
    from cnnlab.datasets import load_mnist

    try:
        return load_mnist(download=False)
    except ValueError as error:
        print(f"skipping: MNIST not available ({error})")
        sys.exit(0)
