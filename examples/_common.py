"""Shared command line of the examples: ``--quick`` and ``--output``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def parse(docstring: str | None) -> argparse.Namespace:
    """``--quick`` and ``--output``; the script's title (its docstring's first line) as help."""
    title = next((line for line in (docstring or "").splitlines() if line.strip()), None)
    parser = argparse.ArgumentParser(description=title)
    parser.add_argument("--quick", action="store_true", help="small data, few epochs: seconds")
    parser.add_argument("--output", default=None, help="folder for the figures")
    # known arguments only: in Jupyter, sys.argv holds the kernel's own (-f kernel.json)
    arguments, _ = parser.parse_known_args()
    name = Path(parser.prog).stem
    arguments.output = Path(arguments.output or Path("example_output") / name)
    arguments.output.mkdir(parents=True, exist_ok=True)
    return arguments


def mnist_or_exit(quick: bool = False):
    """MNIST from CNNLAB_DATA or the cache.

    Without it: in quick mode (the gallery's, the tests') scikit-learn's digits,
    padded to 28x28, stand in, with a note; otherwise a clear message and a
    clean exit.
    """
    from cnnlab.datasets import load_digits, load_mnist

    try:
        return load_mnist(download=False)
    except ValueError as error:
        if not quick:
            print(f"skipping: MNIST not available ({error})")
            sys.exit(0)
        print("MNIST not available: in quick mode scikit-learn's digits, padded to 28x28, stand in")
        X, y = load_digits(pad_to=28)
        return (X[:1500], y[:1500]), (X[1500:], y[1500:])
