"""Fixtures shared by all tests."""

import pytest


@pytest.fixture
def torch():
    """PyTorch, or a clean skip when it is not installed."""
    return pytest.importorskip("torch")
