import numpy as np
import pytest
import scipy.fft
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnlab.fftconv import transform_length


@pytest.mark.parametrize(
    "padded_size, padding, kernel_size, expected",
    [
        (18, (2, 2), 5, 16),  # LeNet's second convolution: 14 + 2, not 18
        (32, (2, 2), 5, 30),  # LeNet's first: 28 + 2 = 30 = 2 * 3 * 5, already fast
        (14, (0, 0), 3, 15),  # "valid": nothing may wrap; 14 = 2 * 7 is not a fast length
        (9, (0, 1), 2, 9),  # an even kernel's "same": no zeros before, so none to spare
        (22, (5, 5), 3, 20),  # padding wider than the kernel: the 20 outputs set the length
    ],
)
def test_transform_length(padded_size, padding, kernel_size, expected):
    assert transform_length(padded_size, padding, kernel_size) == expected


def circular_correlation(signal, kernel, length):
    """The correlation a transform of ``length`` computes, written as a plain loop."""
    buffer = np.zeros(length)
    buffer[: len(signal)] = signal
    return np.array(
        [
            sum(buffer[(i + p) % length] * kernel[p] for p in range(len(kernel)))
            for i in range(length)
        ]
    )


@settings(max_examples=60, deadline=None)
@given(
    size=st.integers(1, 12),
    kernel_size=st.integers(1, 6),
    before=st.integers(0, 6),
    after=st.integers(0, 6),
    seed=st.integers(0, 2**16),
)
def test_the_length_is_exact_and_one_less_is_not(size, kernel_size, before, after, seed):
    padded_size = before + size + after
    if kernel_size > padded_size:
        return
    rng = np.random.default_rng(seed)
    signal = rng.standard_normal(size) + 1.0  # no zeros that could hide a wrapped term
    kernel = rng.standard_normal(kernel_size) + 3.0
    padded = np.concatenate([np.zeros(before), signal, np.zeros(after)])
    outputs = padded_size - kernel_size + 1
    linear = np.correlate(padded, kernel, mode="valid")
    shortest = padded_size - min(before, after, kernel_size - 1)
    length = transform_length(padded_size, (before, after), kernel_size)
    assert length >= shortest and length == scipy.fft.next_fast_len(shortest, real=True)
    exact = circular_correlation(padded[: before + size], kernel, length)[:outputs]
    np.testing.assert_allclose(exact, linear, rtol=1e-12, atol=1e-12)
    if shortest - 1 >= max(before + size, 1):
        # one shorter is wrong: an output wraps or two outputs share a position
        shorter = circular_correlation(padded[: before + size], kernel, shortest - 1)
        wrong = shorter[: min(outputs, shortest - 1)]
        assert len(wrong) < outputs or not np.allclose(wrong, linear[: len(wrong)])
