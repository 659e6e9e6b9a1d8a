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


def png_of(folder, side: int):
    """A side x side PNG of one colour: kilobytes on disk, side^2 pixels decoded."""
    path = folder / f"bomb{side}.png"
    Image.new("1", (side, side)).save(path)
    assert path.stat().st_size < 1 << 20
    return path


@pytest.fixture(scope="module")
def bomb(tmp_path_factory):
    return png_of(tmp_path_factory.mktemp("bomb"), 20000)


@pytest.mark.parametrize("side", [20000, 11000])  # Pillow's error, and Pillow's mere warning
def test_a_decompression_bomb_is_refused_before_decoding(side, tmp_path):
    path = png_of(tmp_path, side)
    result = run_capped(f"from cnnlab.imaging import read_image\nread_image({str(path)!r})")
    assert result["error"] == "ValueError", result
    pixels = f"{side} x {side} = {side * side:,} pixels, more than max_pixels=64,000,000"
    assert pixels in result["message"]
    assert result["peak_kb"] * 1024 < CAP


def test_a_larger_bound_can_be_asked_for(tmp_path):
    path = png_of(tmp_path, 1000)
    with pytest.raises(ValueError, match="more than max_pixels=999,999"):
        read_image(path, max_pixels=999_999)
    assert read_image(path, max_pixels=1_000_000).shape == (1000, 1000)


def test_cnnlab_filter_refuses_a_bomb_in_one_line(bomb, tmp_path, capsys):
    assert main(["filter", str(bomb), "--output", str(tmp_path / "f.png")]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "pass a larger max_pixels" in error
