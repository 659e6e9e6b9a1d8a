import numpy as np
import pytest
from PIL import Image

from cnnlab.imaging import psnr, read_image, svd_compress, to_grayscale


def test_rank_k_record_matches_direct_formulas():
    rng = np.random.default_rng(0)
    image = rng.random((30, 20))
    reconstruction, record = svd_compress(image, 4)
    U, S, Vt = np.linalg.svd(image)
    expected = U[:, :4] @ np.diag(S[:4]) @ Vt[:4]
    np.testing.assert_allclose(reconstruction, expected, atol=1e-12)
    assert record.k == 4
    assert record.ratio == pytest.approx(4 * (1 + 30 + 20) / 600)
    mse = np.mean((expected - image) ** 2)
    assert record.mse == pytest.approx(mse)
    assert record.mse == pytest.approx(np.sum(S[4:] ** 2) / image.size)  # Eckart-Young
    assert record.psnr == pytest.approx(10 * np.log10(1.0 / mse))
    assert record.energy == pytest.approx(np.sum(S[:4] ** 2) / np.sum(S**2))


def test_full_rank_is_lossless_and_rank_one_image_is_exact_at_k_one():
    image = np.random.default_rng(1).random((12, 9))
    _, record = svd_compress(image, 9)
    assert record.mse < 1e-28 and record.energy == pytest.approx(1.0)
    rank_one = np.outer(np.arange(1, 6), np.arange(1, 4)).astype(float)
    _, record = svd_compress(rank_one, 1)
    assert record.mse < 1e-25 and record.psnr > 250


def test_uint8_images_use_255_and_custom_range():
    image = np.random.default_rng(2).integers(0, 256, (16, 16)).astype(np.uint8)
    _, record = svd_compress(image, 3)
    assert record.psnr == pytest.approx(10 * np.log10(255**2 / record.mse))
    _, record = svd_compress(image.astype(float), 3, data_range=100.0)
    assert record.psnr == pytest.approx(10 * np.log10(100**2 / record.mse))
    assert psnr(0.0, 1.0) == np.inf
    assert psnr(0.01, 1.0) == pytest.approx(20.0)


def test_rgb_per_channel_and_luminance():
    rng = np.random.default_rng(3)
    image = rng.random((14, 10, 3))
    reconstruction, record = svd_compress(image, 2)
    assert reconstruction.shape == (14, 10, 3)
    for c in range(3):
        single, _ = svd_compress(image[..., c], 2)
        np.testing.assert_allclose(reconstruction[..., c], single, atol=1e-12)
    gray, gray_record = svd_compress(image, 2, color="luminance")
    assert gray.shape == (14, 10)
    _, expected = svd_compress(image @ [0.299, 0.587, 0.114], 2)
    assert gray_record.mse == pytest.approx(expected.mse)
    np.testing.assert_allclose(to_grayscale(np.ones((2, 2, 3))), 1.0)


def test_randomized_svd_is_close_to_exact():
    rng = np.random.default_rng(4)
    low_rank = rng.random((200, 8)) @ rng.random((8, 150)) + 0.01 * rng.random((200, 150))
    _, exact = svd_compress(low_rank, 10)
    _, randomized = svd_compress(low_rank, 10, method="randomized")
    assert randomized.mse == pytest.approx(exact.mse, rel=0.05)
    assert randomized.energy == pytest.approx(exact.energy, rel=1e-4)


@pytest.mark.parametrize(
    "k, message",
    [
        (0, "k must be >= 1, got 0"),
        (11, r"k must be between 1 and min\(m, n\) = 10 for a 10x12 image, got 11"),
    ],
)
def test_bad_rank(k, message):
    with pytest.raises(ValueError, match=message):
        svd_compress(np.ones((10, 12)), k)


def test_bad_images():
    with pytest.raises(ValueError, match="image contains 1 NaN"):
        svd_compress(np.array([[1.0, np.nan], [0.0, 1.0]]), 1)
    with pytest.raises(TypeError, match="k must be an integer, got 2.0"):
        svd_compress(np.ones((4, 4)), 2.0)


def test_read_image_sample_and_files(tmp_path):
    sample = read_image()
    assert sample.ndim == 2 and 0 <= sample.min() and sample.max() <= 1
    colour = read_image(gray=False)
    assert colour.shape == (*sample.shape, 3)
    path = tmp_path / "tiny.png"
    Image.fromarray(np.full((4, 5, 3), 255, dtype=np.uint8)).save(path)
    np.testing.assert_allclose(read_image(path), 1.0)
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a png at all")
    with pytest.raises(ValueError, match="could not read image file .*broken.png"):
        read_image(broken)
    with pytest.raises(ValueError, match="does not exist"):
        read_image(tmp_path / "missing.jpg")
