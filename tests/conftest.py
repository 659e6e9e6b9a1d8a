"""Fixtures shared by all tests."""

import pytest

from cnnlab import fftconv


@pytest.fixture
def torch():
    """PyTorch, or a clean skip when it is not installed."""
    return pytest.importorskip("torch")


@pytest.fixture(params=["matrices", "scipy.fft"])
def transforms(request, monkeypatch):
    """Run a test once with DFT matrices and once with scipy's FFTs."""
    if request.param == "scipy.fft":
        monkeypatch.setattr(fftconv, "MATRIX_MAX_LENGTH", 0)
    return request.param
