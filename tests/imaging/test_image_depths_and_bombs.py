"""Images of every bit depth keep their values, and decompression bombs are refused from the header."""

import numpy as np
import pytest
from capped import CAP, run_capped
from PIL import Image

from cnnlab.cli import main
from cnnlab.imaging import read_image


def test_a_16_bit_png_keeps_its_levels(tmp_path):
    ramp = np.linspace(0, 65535, 256 * 4, dtype=np.uint16).reshape(4, 256)
    Image.fromarray(ramp).save(tmp_path / "ramp.png")
    pixels = read_image(tmp_path / "ramp.png")
    assert len(np.unique(pixels)) == 256 * 4  # not 5 levels
    np.testing.assert_allclose(pixels, ramp / 65535.0, rtol=0, atol=1e-12)


def test_an_int32_tiff_of_16_bit_values_is_not_clipped(tmp_path):
    values = np.array([[0, 1000, 40000, 65535]], dtype=np.int32)
    Image.fromarray(values, mode="I").save(tmp_path / "counts.tif")
    np.testing.assert_allclose(read_image(tmp_path / "counts.tif"), values / 65535.0)


def test_a_float_tiff_is_returned_as_it_is(tmp_path):
    values = np.array([[0.0, 0.25, 0.5, 1.0]], dtype=np.float32)
    Image.fromarray(values, mode="F").save(tmp_path / "float.tif")
    np.testing.assert_allclose(read_image(tmp_path / "float.tif"), values)
    assert read_image(tmp_path / "float.tif", gray=False).shape == (1, 4, 3)


@pytest.fixture(scope="module")
def bomb(tmp_path_factory):
    """A 20000 x 20000 PNG of one colour: a few hundred kilobytes on disk, 400 MP decoded."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.png"
    Image.new("1", (20000, 20000)).save(path)
    assert path.stat().st_size < 1 << 20
    return path


def test_a_decompression_bomb_is_refused_before_decoding(bomb):
    result = run_capped(f"from cnnlab.imaging import read_image\nread_image({str(bomb)!r})")
    assert result["error"] == "ValueError", result
    assert (
        "20000 x 20000 = 400,000,000 pixels, more than max_pixels=64,000,000" in result["message"]
    )
    assert result["peak_kb"] * 1024 < CAP


def test_cnnlab_filter_refuses_a_bomb_in_one_line(bomb, tmp_path, capsys):
    assert main(["filter", str(bomb), "--output", str(tmp_path / "f.png")]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "pass a larger max_pixels" in error
