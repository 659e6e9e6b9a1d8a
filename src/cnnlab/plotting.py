"""matplotlib figures. Every function returns the Figure and, given ``path``, saves it.

They use the object-oriented API only, so they work under the Agg backend and
never open a window. A new figure is a :class:`NotebookFigure`, which shows
itself as a PNG when it is a Jupyter cell's result (no ``%matplotlib`` magic
needed) and shows nothing when assigned to a name. Every function also takes
``ax=``: axes of your own (one, or as many as the plot has panels) to draw
into, and ``dpi=`` for the file it writes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from cnnlab.nn.metrics import METRIC_NAMES, METRICS

#: what ``ax=`` takes: one Axes, or one per panel (a list or an array); None: a new figure
AxesLike = Axes | Sequence[Axes] | np.ndarray | None
#: what ``path=`` takes: where to save the figure; None: it is not saved
FilePath = str | Path | None


class NotebookFigure(Figure):
    """A matplotlib Figure that displays itself as a PNG as a Jupyter cell's result."""

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", bbox_inches="tight")
        return buffer.getvalue()


def figure_and_axes(
    ax: AxesLike, count: int, figsize: tuple[float, float], rows: int = 1, **subplots: Any
) -> tuple[Figure, np.ndarray]:
    """A new figure with ``count`` axes in ``rows`` rows, or the user's ``ax`` and its figure.

    Returns the figure and a flat array of the ``count`` axes.
    """
    if ax is None:
        figure = NotebookFigure(figsize=figsize)
        columns = -(-count // rows)
        grid = np.atleast_1d(figure.subplots(rows, columns, squeeze=False, **subplots)).ravel()
        for extra in grid[count:]:
            extra.set_axis_off()
        return figure, grid[:count]
    axes = np.atleast_1d(np.asarray(ax, dtype=object)).ravel()
    if len(axes) != count or not all(hasattr(a, "figure") for a in axes):
        raise ValueError(
            f"ax must be {count} matplotlib Axes for this plot (one per panel), got {ax!r}"
        )
    return axes[0].figure, axes


def finish_figure(figure: Figure, ax: AxesLike, path: FilePath, dpi: int) -> Figure:
    """Lay out a figure of our own (not the user's), save it if asked; return it."""
    if ax is None:
        figure.tight_layout()
    return save_figure(figure, path, dpi=dpi)


def save_figure(figure: Figure, path: FilePath, dpi: int = 110) -> Figure:
    """Save ``figure`` as ``path`` (if given, creating its folder); return the figure."""
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, dpi=dpi, bbox_inches="tight")
    return figure


def plot_training_curves(
    scores: Any, path: FilePath = None, title: str = "Training", *, ax: AxesLike = None,
    dpi: int = 110,
) -> Figure:  # fmt: skip
    """Cost and the task's score against epoch, training and validation.

    The score is the first of ``cnnlab.nn.metrics.METRICS`` found in
    ``scores``: accuracy for classification, R² for regression, PSNR for
    image outputs.

    Parameters
    ----------
    scores : History or dict of ndarray
        What ``CNN.fit`` returns.
    path : str or Path, optional
        Where to save a PNG.
    title : str
    ax : pair of matplotlib Axes, optional
        Keyword-only. Draw into these (cost, score) instead of a new figure.
    dpi : int
        Keyword-only. Resolution of the file at ``path``.

    Returns
    -------
    Figure
        The figure drawn into; a new one shows itself as a cell's result in Jupyter.
    """
    metric = next((names[0] for names in METRICS.values() if f"train_{names[0]}" in scores), "acc")
    figure, (cost_axes, metric_axes) = figure_and_axes(ax, 2, (9, 3.6))
    epochs = np.arange(1, len(scores["train_error"]) + 1)
    for axes, key, label in (
        (cost_axes, "error", "cost"),
        (metric_axes, metric, METRIC_NAMES[metric]),
    ):
        for part in ("train", "val"):
            values = np.asarray(scores.get(f"{part}_{key}", []))
            if np.isfinite(values).any():
                axes.plot(epochs, values, marker="o", markersize=3, label=part)
        axes.set_xlabel("epoch")
        axes.set_ylabel(label)
        axes.grid(alpha=0.3)
        if axes.get_legend_handles_labels()[0]:
            axes.legend()
    cost_axes.set_title(f"{title}: cost")
    metric_axes.set_title(f"{title}: {METRIC_NAMES[metric]}")
    return finish_figure(figure, ax, path, dpi)


def _show_image(axes, image, title):
    axes.imshow(np.clip(image, 0, 1) if image.ndim == 3 else image, cmap="gray")
    axes.set_title(title, fontsize=9)
    axes.set_axis_off()


def plot_filtered(
    image: ArrayLike, filtered: dict, path: FilePath = None, *, ax: AxesLike = None, dpi: int = 110,
) -> Figure:  # fmt: skip
    """An image next to its filtered versions.

    Parameters
    ----------
    image : ndarray, shape (m, n) or (m, n, 3)
    filtered : dict of str to ndarray
        Title of each filtered version, and the version itself.
    """
    panels = [("original", image), *filtered.items()]
    figure, grid = figure_and_axes(ax, len(panels), (3.2 * len(panels), 3.6))
    for axes, (title, picture) in zip(grid, panels, strict=True):
        _show_image(axes, np.asarray(picture), title)
    return finish_figure(figure, ax, path, dpi)


def plot_svd_grid(
    image: ArrayLike, results: Sequence[tuple[np.ndarray, Any]], path: FilePath = None, *,
    ax: AxesLike = None, dpi: int = 110,
) -> Figure:  # fmt: skip
    """The original and its rank-k reconstructions, with ratio and PSNR in the titles.

    Parameters
    ----------
    image : ndarray
    results : list of (ndarray, SVDRecord)
        What ``svd_compress`` returned for each k.
    """
    count = len(results) + 1
    columns = min(count, 4)
    rows = -(-count // columns)
    figure, grid = figure_and_axes(ax, count, (3.2 * columns, 3.4 * rows), rows)
    _show_image(grid[0], np.asarray(image), "original")
    for axes, (picture, record) in zip(grid[1:], results, strict=True):
        title = f"k={record.k}: ratio {record.ratio:.3f}, PSNR {record.psnr:.1f} dB"
        _show_image(axes, picture, title)
    return finish_figure(figure, ax, path, dpi)


def plot_svd_curves(
    records: Sequence[Any], path: FilePath = None, *, ax: AxesLike = None, dpi: int = 110
) -> Figure:
    """PSNR and compression ratio against the rank k (``ax``: one Axes)."""
    ks = [record.k for record in records]
    figure, (psnr_axes,) = figure_and_axes(ax, 1, (6, 3.6))
    psnr_axes.plot(ks, [record.psnr for record in records], "o-", color="C0")
    psnr_axes.set_xlabel("rank k")
    psnr_axes.set_ylabel("PSNR (dB)", color="C0")
    ratio_axes = psnr_axes.twinx()
    ratio_axes.plot(ks, [record.ratio for record in records], "s--", color="C1")
    ratio_axes.set_ylabel("compression ratio k(1+m+n)/(mn)", color="C1")
    psnr_axes.grid(alpha=0.3)
    psnr_axes.set_title("SVD compression: quality and size against rank")
    return finish_figure(figure, ax, path, dpi)


def plot_conv_timing(
    results: dict, path: FilePath = None, *, ax: AxesLike = None, dpi: int = 110
) -> Figure:
    """Median time of each convolution method against kernel size, one panel per image size."""
    sizes = results["image_sizes"]
    kernels = results["kernel_sizes"]
    figure, panels = figure_and_axes(ax, len(sizes), (3.4 * len(sizes), 3.6), sharey=True)
    for index, (axes, size) in enumerate(zip(panels, sizes, strict=True)):
        for name, seconds in results["seconds"].items():
            style = "--" if name.startswith("scipy") else "-"
            axes.plot(
                kernels,
                np.asarray(seconds)[index] * 1e3,
                style,
                marker="o",
                markersize=3,
                label=name,
            )
        axes.set_yscale("log")
        axes.set_xlabel("kernel size k (k x k)")
        axes.set_title(f"{size} x {size} image", fontsize=10)
        axes.grid(alpha=0.3, which="both")
    panels[0].set_ylabel("median time (ms)")
    panels[-1].legend(fontsize=7)
    return finish_figure(figure, ax, path, dpi)


def plot_accuracy_heatmap(
    accuracy: ArrayLike, etas: Sequence[float], lams: Sequence[float], title: str,
    path: FilePath = None, *, ax: AxesLike = None, dpi: int = 110,
) -> Figure:  # fmt: skip
    """The notes' grid-search heatmap: eta on the y axis, lambda on the x axis, annotated.

    Diverged points (NaN) are grey and marked "div".
    """
    accuracy = np.asarray(accuracy, dtype=float)
    figure, (axes,) = figure_and_axes(ax, 1, (1.0 * len(lams) + 2.5, 0.8 * len(etas) + 1.8))
    colormap = matplotlib.colormaps["viridis"].with_extremes(bad="lightgrey")
    image = axes.imshow(
        np.ma.masked_invalid(accuracy), cmap=colormap, vmin=0, vmax=1, aspect="auto"
    )
    for i in range(accuracy.shape[0]):
        for j in range(accuracy.shape[1]):
            value = accuracy[i, j]
            text = "div" if np.isnan(value) else f"{value:.2f}"
            color = "black" if np.isnan(value) or value > 0.6 else "white"
            axes.text(j, i, text, ha="center", va="center", color=color, fontsize=9)
    axes.set_xticks(range(len(lams)), [f"{lam:.0e}" for lam in lams], rotation=45)
    axes.set_yticks(range(len(etas)), [f"{eta:.0e}" for eta in etas])
    axes.set_xlabel(r"$\lambda$")
    axes.set_ylabel(r"$\eta$")
    axes.set_title(title)
    figure.colorbar(image, ax=axes, label="accuracy")
    return finish_figure(figure, ax, path, dpi)


def plot_images(
    images: ArrayLike, titles: Sequence[str] | None = None, path: FilePath = None, columns: int = 8,
    *, ax: AxesLike = None, dpi: int = 110,
) -> Figure:  # fmt: skip
    """A grid of images, shape (N, H, W), (N, 1, H, W) or (N, 3, H, W), with optional titles."""
    images = np.asarray(images)
    if images.ndim == 4:
        images = images[:, 0] if images.shape[1] == 1 else images.transpose(0, 2, 3, 1)
    count = len(images)
    columns = min(columns, count)
    rows = -(-count // columns)
    figure, grid = figure_and_axes(ax, count, (1.4 * columns, 1.5 * rows), rows)
    for index, axes in enumerate(grid):
        axes.set_axis_off()
        axes.imshow(images[index], cmap="gray" if images.ndim == 3 else None)
        if titles is not None:
            axes.set_title(str(titles[index]), fontsize=9)
    return finish_figure(figure, ax, path, dpi)


def plot_kernels(
    weights: ArrayLike, path: FilePath = None, title: str = "First-layer kernels", *,
    ax: AxesLike = None, dpi: int = 110,
) -> Figure:  # fmt: skip
    """Each kernel of a convolution's ``W`` (F, C, kh, kw), first channel, blue-white-red."""
    weights = np.asarray(weights)[:, 0]
    count = len(weights)
    columns = min(8, count)
    rows = -(-count // columns)
    figure, grid = figure_and_axes(ax, count, (1.3 * columns, 1.4 * rows + 0.4), rows)
    limit = np.abs(weights).max()
    for index, axes in enumerate(grid):
        axes.set_axis_off()
        axes.imshow(weights[index], cmap="bwr", vmin=-limit, vmax=limit)
        axes.set_title(f"#{index}", fontsize=8)
    if ax is None:
        figure.suptitle(title)
    return finish_figure(figure, ax, path, dpi)


def plot_loss_curves(
    curves: dict, path: FilePath = None, title: str = "Training cost", *, ax: AxesLike = None,
    dpi: int = 110,
) -> Figure:  # fmt: skip
    """Several cost curves (name -> values per epoch) on one log-scaled plot."""
    figure, (axes,) = figure_and_axes(ax, 1, (6.5, 4))
    for name, values in curves.items():
        values = np.asarray(values, dtype=float)
        axes.plot(np.arange(1, len(values) + 1), values, marker="o", markersize=3, label=name)
    axes.set_yscale("log")
    axes.set_xlabel("epoch")
    axes.set_ylabel("cost")
    axes.set_title(title)
    axes.grid(alpha=0.3, which="both")
    axes.legend(fontsize=8)
    return finish_figure(figure, ax, path, dpi)
