import numpy as np
import pytest
import scipy.fft
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnlab.conv import fourier
from cnnlab.conv.fourier import transform_length


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
    # at least the kernel too: the weight gradient keeps kernel_size positions
    # (tests/conv/test_algorithms.py checks kernels larger than the input)
    linear_only = padded_size - min(before, after, kernel_size - 1)
    shortest = max(linear_only, kernel_size)
    length = transform_length(padded_size, (before, after), kernel_size)
    assert length >= shortest and length == scipy.fft.next_fast_len(shortest, real=True)
    exact = circular_correlation(padded[: before + size], kernel, length)[:outputs]
    np.testing.assert_allclose(exact, linear, rtol=1e-12, atol=1e-12)
    if shortest == linear_only and shortest - 1 >= max(before + size, 1):
        # one shorter is wrong: an output wraps or two outputs share a position
        shorter = circular_correlation(padded[: before + size], kernel, shortest - 1)
        wrong = shorter[: min(outputs, shortest - 1)]
        assert len(wrong) < outputs or not np.allclose(wrong, linear[: len(wrong)])


@pytest.mark.parametrize("dtype, tolerance", [(np.float64, 1e-12), (np.float32, 1e-5)])
@pytest.mark.parametrize(
    "size, offset, lengths",
    [((5, 5), (2, 2), (9, 9)), ((7, 4), (0, 1), (8, 6)), ((3, 6), (1, 0), (5, 7))],
)
def test_spectra_are_those_of_the_zero_padded_input(
    transforms, size, offset, lengths, dtype, tolerance
):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((*size, 3, 2)).astype(dtype)
    padded = np.zeros((*lengths, 3, 2))
    padded[offset[0] : offset[0] + size[0], offset[1] : offset[1] + size[1]] = x
    expected = scipy.fft.rfft2(padded, axes=(0, 1)).reshape(-1, 3, 2)
    result = fourier.spectra(x, lengths, offset)
    assert result.dtype == (np.complex64 if dtype == np.float32 else np.complex128)
    np.testing.assert_allclose(result, expected, rtol=0, atol=tolerance * np.abs(expected).max())


@pytest.mark.parametrize("lengths", [(8, 8), (9, 7), (6, 5)])  # even and odd widths
def test_inverse_keeps_the_rows_and_columns_asked_for(transforms, lengths):
    rng = np.random.default_rng(1)
    signal = rng.standard_normal((*lengths, 2, 3))
    frequencies = scipy.fft.rfft2(signal, axes=(0, 1)).reshape(-1, 2, 3)
    rows, columns = slice(1, lengths[0] - 1), slice(2, lengths[1])
    result = fourier.inverse(frequencies, lengths, (rows, columns))
    np.testing.assert_allclose(result, signal[rows, columns], rtol=0, atol=1e-12)


def test_dft_matrix_is_the_dft_and_read_only():
    matrix = fourier.dft_matrix(8, 5, 0, 8, "complex128")
    impulses = np.eye(8)
    np.testing.assert_allclose(matrix, scipy.fft.rfft(impulses, axis=0), atol=1e-14)
    inverse = fourier.dft_matrix(8, 8, 0, 8, "complex128", inverse=True)
    np.testing.assert_allclose(inverse @ scipy.fft.fft(impulses, axis=0), impulses, atol=1e-14)
    with pytest.raises(ValueError, match="read-only"):
        matrix[0, 0] = 0


@pytest.mark.parametrize("dtype, tolerance", [(np.float64, 1e-12), (np.float32, 1e-5)])
@pytest.mark.parametrize(
    "size, offset, lengths",
    [((5,), (2,), (9,)), ((7,), (0,), (8,)), ((3, 4, 2), (1, 0, 2), (5, 6, 4))],
)
def test_spectra_in_one_and_three_dimensions(transforms, size, offset, lengths, dtype, tolerance):
    rng = np.random.default_rng(2)
    x = rng.standard_normal((*size, 2, 3)).astype(dtype)
    padded = np.zeros((*lengths, 2, 3))
    padded[tuple(slice(o, o + n) for o, n in zip(offset, size, strict=True))] = x
    axes = tuple(range(len(size)))
    expected = scipy.fft.rfftn(padded, axes=axes).reshape(-1, 2, 3)
    result = fourier.spectra(x, lengths, offset)
    np.testing.assert_allclose(result, expected, rtol=0, atol=tolerance * np.abs(expected).max())
    kept = tuple(slice(o, o + n) for o, n in zip(offset, size, strict=True))
    back = fourier.inverse(result.astype(np.complex128), lengths, kept)
    np.testing.assert_allclose(back, x, rtol=0, atol=1e-12 if dtype == np.float64 else 1e-5)
