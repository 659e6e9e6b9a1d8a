"""Every plotting function draws into the user's axes when given ``ax=``, and shows itself in Jupyter."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from cnnlab import plotting
from cnnlab.imaging import SVDRecord

SCORES = {"train_error": np.array([1.0, 0.5]), "train_acc": np.array([0.5, 0.8]),
          "val_error": np.array([1.1, 0.7]), "val_acc": np.array([0.4, 0.7])}  # fmt: skip
RECORD = SVDRecord(k=1, ratio=0.5, mse=0.01, psnr=20.0, energy=0.9)
IMAGE = np.random.default_rng(0).random((8, 8))

CALLS = {  # function: (arguments, number of panels)
    "plot_training_curves": ((SCORES,), 2),
    "plot_filtered": ((IMAGE, {"blur": IMAGE}), 2),
    "plot_svd_grid": ((IMAGE, [(IMAGE, RECORD)]), 2),
    "plot_svd_curves": (([RECORD, RECORD],), 1),
    "plot_conv_timing": (
        ({"image_sizes": [8], "kernel_sizes": [3, 5], "seconds": {"direct": [[1e-3, 2e-3]]}},),
        1,
    ),  # fmt: skip
    "plot_accuracy_heatmap": ((np.eye(2), [1e-3, 1e-2], [0, 1e-4], "acc"), 1),
    "plot_images": ((np.zeros((3, 1, 4, 4)),), 3),
    "plot_kernels": ((np.zeros((2, 1, 3, 3)),), 2),
    "plot_loss_curves": (({"a": [1.0, 0.5]},), 1),
}


def test_every_plotting_function_is_listed():
    public = {name for name in dir(plotting) if name.startswith("plot_")}
    assert public == set(CALLS)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_new_figure_shows_itself_and_ax_draws_into_yours(name, tmp_path):
    function = getattr(plotting, name)
    arguments, panels = CALLS[name]
    figure = function(*arguments)
    assert isinstance(figure, plotting.NotebookFigure)
    assert figure._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"
    mine = Figure()
    axes = mine.subplots(1, panels) if panels > 1 else mine.subplots()
    assert function(*arguments, ax=axes) is mine
    assert all(a.has_data() or a.images for a in np.atleast_1d(axes))
    with pytest.raises(ValueError, match=f"ax must be {panels} matplotlib Axes"):
        function(*arguments, ax=[mine.subplots()] * (panels + 1))


def test_dpi_sets_the_resolution_of_the_file(tmp_path):
    from PIL import Image

    for dpi in (50, 100):
        plotting.plot_loss_curves({"a": [1.0, 0.5]}, tmp_path / f"{dpi}.png", dpi=dpi)
    small, large = (Image.open(tmp_path / f"{dpi}.png").size for dpi in (50, 100))
    assert large[0] == pytest.approx(2 * small[0], rel=0.05)
