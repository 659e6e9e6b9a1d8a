import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnnlab.ops import add_windows, resolve_padding, same_padding, windows


@pytest.mark.parametrize(
    "size, kernel, stride, expected",
    [
        (28, 3, 1, (1, 1)),
        (28, 2, 1, (0, 1)),
        (7, 4, 2, (1, 2)),
        (7, 4, 3, (1, 2)),
        (6, 1, 2, (0, 0)),
        (5, 7, 1, (3, 3)),
    ],
)
def test_same_padding_follows_tensorflow(size, kernel, stride, expected):
    assert same_padding(size, kernel, stride) == expected
    before, after = expected
    assert (size + before + after - kernel) // stride + 1 == -(-size // stride)


def test_resolve_padding():
    assert resolve_padding("valid", 9, 3, 1) == (0, 0)
    assert resolve_padding(2, 9, 3, 1) == (2, 2)


@given(
    kernel=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    stride=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    size=st.tuples(st.integers(3, 7), st.integers(3, 7)),
    seed=st.integers(0, 1000),
)
def test_add_windows_is_the_adjoint_of_windows(kernel, stride, size, seed):
    # <windows(X), G> == <X, add_windows(G)> for every X and G defines the adjoint.
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((2, 2, *size))
    view = windows(X, *kernel, *stride)
    G = rng.standard_normal(view.shape)
    left = np.sum(view * G)
    right = np.sum(X * add_windows(G, X.shape, *stride))
    assert left == pytest.approx(right, rel=1e-12, abs=1e-12)
