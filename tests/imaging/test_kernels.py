import math

import numpy as np
import pytest
import scipy.ndimage

from cnnlab.imaging import box, edge_magnitude, gaussian, laplacian, sobel


def test_box_is_the_notes_low_pass_filter():
    np.testing.assert_array_equal(box(3), np.full((3, 3), 1 / 9))
    assert box(5).sum() == pytest.approx(1.0)


@pytest.mark.parametrize("sigma", [0.5, 1.0, 1.3, 6.0])
def test_gaussian_size_normalisation_and_symmetry(sigma):
    kernel = gaussian(sigma)
    side = math.ceil(1 + 8 * sigma)
    assert kernel.shape == (side, side)
    assert kernel.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(kernel, kernel.T)
    np.testing.assert_allclose(kernel, kernel[::-1, ::-1])
    assert np.unravel_index(kernel.argmax(), kernel.shape) == ((side - 1) // 2, (side - 1) // 2)


def test_gaussian_unnormalised_uses_the_notes_coefficient():
    kernel = gaussian(2.0, size=9, normalize=False)
    assert kernel[4, 4] == pytest.approx(1 / (2 * np.pi * 4.0))


def test_gaussian_blur_matches_scipy_ndimage():
    image = np.random.default_rng(0).random((40, 40))
    from cnnlab.imaging import convolve2d

    ours = convolve2d(image, gaussian(1.0, size=9), mode="same")
    theirs = scipy.ndimage.gaussian_filter(image, 1.0, mode="constant", truncate=4.0)
    np.testing.assert_allclose(ours[5:-5, 5:-5], theirs[5:-5, 5:-5], atol=1e-3)


def test_sobel_and_laplacian_values():
    np.testing.assert_array_equal(sobel("x"), [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    np.testing.assert_array_equal(sobel("y"), sobel("x").T)
    assert laplacian().sum() == 0 and laplacian()[1, 1] == -4
    with pytest.raises(ValueError, match=r"direction must be one of \('x', 'y'\), got 'z'"):
        sobel("z")


def test_edge_magnitude_finds_a_vertical_step():
    image = np.zeros((10, 10))
    image[:, 5:] = 1.0
    magnitude = edge_magnitude(image)
    assert magnitude.shape == (10, 10)
    np.testing.assert_allclose(magnitude[2:-2, 4:6], 4.0)
    np.testing.assert_allclose(magnitude[2:-2, :3], 0.0, atol=1e-12)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: gaussian(0), "sigma must be > 0.0, got 0.0"),
        (lambda: box(0), "n must be >= 1, got 0"),
    ],
)
def test_bad_kernel_arguments(call, message):
    with pytest.raises(ValueError, match=message):
        call()
