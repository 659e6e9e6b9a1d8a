import json

import numpy as np
from PIL import Image

from cnnlab.cli import main


def test_filter_writes_a_figure(tmp_path, capsys):
    output = tmp_path / "out.png"
    assert main(["filter", "--kernel", "sobel-x", "--method", "fft", "-o", str(output)]) == 0
    assert output.read_bytes()[:4] == b"\x89PNG"
    assert "sobel-x 3x3 on a 600x512 image" in capsys.readouterr().out


def test_svd_prints_a_table_and_clips_ranks(tmp_path, capsys):
    image = tmp_path / "small.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 256, (20, 30), dtype=np.uint8)).save(image)
    output = tmp_path / "svd.png"
    assert main(["svd", str(image), "--ranks", "2,5,50", "-o", str(output)]) == 0
    out = capsys.readouterr().out
    assert "skipping ranks [50]" in out
    rows = [line.split() for line in out.splitlines() if line.strip().startswith(("2 ", "5 "))]
    assert [row[0] for row in rows] == ["2", "5"]
    assert float(rows[0][1]) == round(2 * 51 / 600, 4)
    assert output.exists() and (tmp_path / "svd_curves.png").exists()


def test_unreadable_image_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "bad.jpg"
    bad.write_text("hello")
    assert main(["filter", str(bad), "-o", str(tmp_path / "x.png")]) == 2
    assert "could not read image file" in capsys.readouterr().err


def test_bench_conv_small_run(tmp_path, capsys):
    arguments = ["bench-conv", "--image-sizes", "32,48", "--kernel-sizes", "3,9", "--repeats", "1"]
    assert main([*arguments, "--output", str(tmp_path)]) == 0
    results = json.loads((tmp_path / "bench_conv.json").read_text())
    assert set(results["seconds"]) >= {"direct", "separable", "fft", "auto", "scipy.fftconvolve"}
    assert np.asarray(results["seconds"]["fft"]).shape == (2, 2)
    assert (tmp_path / "bench_conv.png").stat().st_size > 5000
    assert "FFT beats direct on 32x32 images" in capsys.readouterr().out
