"""Fixtures shared by all tests."""

import numpy as np
import pytest

from cnnlab.conv import fourier


@pytest.fixture
def torch():
    """PyTorch, or a clean skip when it is not installed."""
    return pytest.importorskip("torch")


@pytest.fixture(params=["matrices", "scipy.fft"])
def transforms(request, monkeypatch):
    """Run a test once with DFT matrices and once with scipy's FFTs."""
    if request.param == "scipy.fft":
        monkeypatch.setattr(fourier, "MATRIX_MAX_LENGTH", 0)
    return request.param


def build_layer(layer, input_shape, seed=0, dtype=np.float64):
    """``layer``, built for samples of ``input_shape`` (an int means flat samples)."""
    shape = (input_shape,) if isinstance(input_shape, int) else tuple(input_shape)
    layer.build(shape, np.random.default_rng(seed), dtype)
    return layer


@pytest.fixture(scope="session")
def built():
    """``built(layer, input_shape, seed=0, dtype=float64)``: the layer, built (any test may use it,
    hypothesis tests included: it holds no state)."""
    return build_layer
