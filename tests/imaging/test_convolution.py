import numpy as np
import pytest
import scipy.signal
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnlab.imaging import (
    box,
    choose_method,
    convolve2d,
    convolve2d_loop,
    correlate2d,
    gaussian,
    is_separable,
    laplacian,
    pad,
    separate,
    sobel,
)

NOTES_IMAGE = np.array(
    [
        [4, 1, 2, 9, 8, 6],
        [9, 5, 9, 5, 8, 5],
        [1, 5, 9, 7, 6, 4],
        [2, 9, 8, 3, 7, 1],
        [8, 1, 6, 4, 2, 2],
        [1, 0, 5, 7, 8, 2],
    ],
    dtype=float,
)
NOTES_VALID = [
    [5, 5.78, 7, 6.44],
    [6.33, 6.67, 6.89, 5.11],
    [5.44, 5.78, 5.78, 4],
    [4.44, 4.78, 5.56, 4],
]
KERNEL_SHAPES = [(3, 3), (4, 4), (2, 5), (5, 2), (1, 3), (6, 1), (5, 5)]
MODES = ["full", "same", "valid"]


@pytest.mark.parametrize("method", ["direct", "separable", "fft", "auto"])
def test_notes_six_by_six_example(method):
    result = convolve2d(NOTES_IMAGE, box(3), mode="valid", method=method)
    np.testing.assert_array_equal(np.round(result, 2), NOTES_VALID)
    assert convolve2d_loop(NOTES_IMAGE, box(3), mode="valid").round(2).tolist() == NOTES_VALID


def test_notes_zero_padding_keeps_the_size():
    padded = pad(NOTES_IMAGE, (3, 3))
    assert padded.shape == (8, 8)
    np.testing.assert_array_equal(padded[1:-1, 1:-1], NOTES_IMAGE)
    assert padded[0].sum() == padded[-1].sum() == padded[:, 0].sum() == padded[:, -1].sum() == 0
    assert convolve2d(NOTES_IMAGE, box(3), mode="same").shape == (6, 6)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kernel_shape", KERNEL_SHAPES)
@pytest.mark.parametrize("method", ["direct", "fft", "auto"])
def test_general_kernels_match_scipy(method, kernel_shape, mode):
    rng = np.random.default_rng(sum(kernel_shape))
    image = rng.standard_normal((17, 12))
    kernel = rng.standard_normal(kernel_shape)
    np.testing.assert_allclose(
        convolve2d(image, kernel, mode, method),
        scipy.signal.convolve2d(image, kernel, mode),
        rtol=0,
        atol=1e-10,
    )
    np.testing.assert_allclose(
        correlate2d(image, kernel, mode, method),
        scipy.signal.correlate2d(image, kernel, mode),
        rtol=0,
        atol=1e-10,
    )


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kernel_shape", KERNEL_SHAPES)
def test_separable_method_matches_scipy_on_rank_one_kernels(kernel_shape, mode):
    rng = np.random.default_rng(7)
    image = rng.standard_normal((15, 16))
    kernel = np.outer(rng.standard_normal(kernel_shape[0]), rng.standard_normal(kernel_shape[1]))
    np.testing.assert_allclose(
        convolve2d(image, kernel, mode, "separable"),
        scipy.signal.convolve2d(image, kernel, mode),
        atol=1e-10,
    )
    np.testing.assert_allclose(
        correlate2d(image, kernel, mode, "separable"),
        scipy.signal.correlate2d(image, kernel, mode),
        atol=1e-10,
    )


@pytest.mark.parametrize("mode", MODES)
def test_loop_reference_matches_scipy(mode):
    rng = np.random.default_rng(3)
    image, kernel = rng.standard_normal((9, 7)), rng.standard_normal((4, 3))
    np.testing.assert_allclose(
        convolve2d_loop(image, kernel, mode),
        scipy.signal.convolve2d(image, kernel, mode),
        atol=1e-12,
    )


@settings(max_examples=40, deadline=None)
@given(
    size=st.tuples(st.integers(5, 14), st.integers(5, 14)),
    kernel_shape=st.tuples(st.integers(1, 5), st.integers(1, 5)),
    mode=st.sampled_from(MODES),
    method=st.sampled_from(["direct", "fft"]),
    seed=st.integers(0, 2**16),
)
def test_fast_methods_match_the_loop(size, kernel_shape, mode, method, seed):
    rng = np.random.default_rng(seed)
    image, kernel = rng.standard_normal(size), rng.standard_normal(kernel_shape)
    np.testing.assert_allclose(
        convolve2d(image, kernel, mode, method),
        convolve2d_loop(image, kernel, mode),
        rtol=0,
        atol=1e-10,
    )


@pytest.mark.parametrize("stride", [2, (3, 2), (1, 4)])
@pytest.mark.parametrize("mode", MODES)
def test_strides_subsample_the_unstrided_result(stride, mode):
    rng = np.random.default_rng(4)
    image, kernel = rng.standard_normal((13, 14)), rng.standard_normal((3, 4))
    v, h = (stride, stride) if isinstance(stride, int) else stride
    expected = scipy.signal.convolve2d(image, kernel, mode)[::v, ::h]
    for method in ("direct", "fft"):
        np.testing.assert_allclose(
            convolve2d(image, kernel, mode, method, stride=stride), expected, atol=1e-10
        )


def test_colour_images_are_filtered_per_channel():
    rng = np.random.default_rng(5)
    image, kernel = rng.random((10, 11, 3)), rng.standard_normal((3, 3))
    for method in ("direct", "fft"):
        result = convolve2d(image, kernel, "same", method)
        assert result.shape == (10, 11, 3)
        for c in range(3):
            np.testing.assert_allclose(
                result[..., c], scipy.signal.convolve2d(image[..., c], kernel, "same"), atol=1e-10
            )


def test_separable_detection():
    assert is_separable(sobel("x")) and is_separable(sobel("y"))
    assert is_separable(gaussian(1.5)) and is_separable(box(5))
    assert not is_separable(laplacian())
    column, row = separate(sobel("x"))
    np.testing.assert_allclose(column @ row, sobel("x"), atol=1e-12)
    with pytest.raises(
        ValueError, match=r"kernel of shape \(3, 3\) is not separable: its singular values are"
    ):
        separate(laplacian())
    with pytest.raises(ValueError, match="not separable"):
        convolve2d(NOTES_IMAGE, laplacian(), method="separable")


def test_pad_modes():
    image = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(pad(image, (3, 3), "edge")[0], [0, 0, 1, 2, 2])
    np.testing.assert_array_equal(pad(image, (3, 3), "wrap")[0], [5, 3, 4, 5, 3])
    assert pad(image, (2, 4), how="full").shape == (4, 9)
    assert pad(np.ones((4, 5, 3)), (3, 3)).shape == (6, 7, 3)


def test_auto_picks_fft_for_big_kernels_and_direct_for_tiny_ones():
    assert choose_method((512, 512), gaussian(6)) == "fft"
    assert choose_method((64, 64), np.ones((1, 2))) == "direct"
    assert choose_method((256, 256), laplacian()) in ("direct", "fft")


@pytest.mark.parametrize(
    "call, error, message",
    [
        (
            lambda: convolve2d(np.ones((3, 3)), np.ones((5, 2)), "valid"),
            ValueError,
            "kernel 5x2 is larger than the image 3x3 in mode='valid'",
        ),
        (
            lambda: convolve2d(np.ones((5, 5)), np.ones((3, 3, 3))),
            ValueError,
            r"kernel must be 2-D \(height, width\), got 3-D",
        ),
        (
            lambda: convolve2d(np.full((4, 4), np.nan), np.ones((3, 3))),
            ValueError,
            "image contains 16 NaN or infinite values",
        ),
        (
            lambda: convolve2d(np.ones((4, 4)), [[1.0, np.inf]]),
            ValueError,
            "kernel contains 1 NaN or infinite values",
        ),
        (
            lambda: convolve2d(np.ones(4), np.ones((3, 3))),
            ValueError,
            r"image must have 2 or 3 dimensions, got 1",
        ),
        (
            lambda: convolve2d(np.ones((4, 4)), np.ones((3, 3)), mode="circular"),
            ValueError,
            "mode must be one of",
        ),
        (
            lambda: convolve2d(np.ones((4, 4)), np.ones((3, 3)), method="winograd"),
            ValueError,
            "method must be one of",
        ),
        (
            lambda: convolve2d(np.ones((4, 4)), np.ones((3, 3)), stride=0),
            ValueError,
            "stride must be >= 1, got 0",
        ),
        (
            lambda: convolve2d(np.ones((4, 4)) * 1j, np.ones((3, 3))),
            TypeError,
            "image must be real-valued",
        ),
        (
            lambda: pad(np.ones((4, 4)), (3, 3), mode="mirror"),
            ValueError,
            r"mode must be one of \('zero'",
        ),
        (
            lambda: pad(np.ones((4, 4)), 3),
            ValueError,
            r"kernel_shape must be \(height, width\), got 3",
        ),
    ],
)
def test_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()
