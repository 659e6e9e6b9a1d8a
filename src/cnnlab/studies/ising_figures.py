"""The figures of ``cnnlab ising``: what the network sees, what it says, and what follows."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from cnnlab.physics.exact import CRITICAL_TEMPERATURE, onsager_energy, spontaneous_magnetization
from cnnlab.physics.observables import binder_cumulant, energy, magnetization
from cnnlab.plotting import AxesLike, FilePath, figure_and_axes, finish_figure, save_figure


def _mark_tc(axes) -> None:
    axes.axvline(CRITICAL_TEMPERATURE, color="gray", linestyle="--", linewidth=1)


def plot_configurations(
    test: dict, L: int, temperatures: Sequence[float], path: FilePath = None, *,
    ax: AxesLike = None, dpi: int = 90,
) -> Figure:  # fmt: skip
    """One sampled configuration of size ``L`` at each of ``temperatures`` (``ax``: one each)."""
    figure, panels = figure_and_axes(ax, len(temperatures), (1.6 * len(temperatures), 1.9))
    spins, sampled = test[L]["spins"], test[L]["temperatures"]
    for axes, T in zip(panels, temperatures, strict=True):
        index = np.flatnonzero(np.isclose(sampled, T))[0]
        axes.imshow(spins[index], cmap="gray", vmin=-1, vmax=1, interpolation="nearest")
        axes.set_title(f"T = {T:.2f}", fontsize=9)
        axes.set_axis_off()
    if ax is None:
        figure.suptitle(
            f"Ising configurations, L = {L} (Tc = {CRITICAL_TEMPERATURE:.3f})", fontsize=10
        )
    return save_figure(figure, path, dpi=dpi)


def plot_outputs(
    curves: dict, crossings: dict, path: FilePath = None, *, ax: AxesLike = None, dpi: int = 90
) -> Figure:
    """The network's mean P(ordered) against T per L, with error bars; Onsager's Tc dashed."""
    figure, (axes,) = figure_and_axes(ax, 1, (5.5, 3.8))
    for L, curve in curves.items():
        axes.errorbar(curve.temperatures, curve.means, curve.errors, marker="o", markersize=3,
                      capsize=2, label=f"L = {L}: T* = {crossings[str(L)]['temperature']:.3f}")  # fmt: skip
    _mark_tc(axes)
    axes.axhline(0.5, color="gray", linewidth=0.8)
    axes.set_xlabel("temperature T")
    axes.set_ylabel("mean output P(ordered)")
    axes.set_title("The network's verdict (Onsager's Tc dashed)")
    axes.legend(fontsize=8)
    axes.grid(alpha=0.3)
    return finish_figure(figure, ax, path, dpi)


def plot_scaling(
    results: dict, path: FilePath = None, *, ax: AxesLike = None, dpi: int = 90
) -> Figure:
    """T*(L) against L^(-1/nu) with the fitted line Tc + a L^(-1/nu)."""
    figure, (axes,) = figure_and_axes(ax, 1, (5, 3.6))
    sizes = np.array([int(L) for L in results["crossings"]])
    values = np.array([c["temperature"] for c in results["crossings"].values()])
    errors = np.array([c["error"] for c in results["crossings"].values()])
    x = sizes ** (-1 / results["nu"])
    axes.errorbar(x, values, errors, fmt="o", capsize=3, label="T*(L) from the network")
    line = np.linspace(0, x.max() * 1.05, 50)
    axes.plot(line, results["tc"] + results["a"] * line, label=(
        f"fit: Tc = {results['tc']:.4f} ± {results['tc_error']:.4f}, "
        f"ν = {results['nu']:.2f} ± {results['nu_error']:.2f}"
    ))  # fmt: skip
    axes.axhline(CRITICAL_TEMPERATURE, color="gray", linestyle="--", linewidth=1, label="Onsager")
    for L, xi, yi in zip(sizes, x, values, strict=True):
        axes.annotate(f"L={L}", (xi, yi), textcoords="offset points", xytext=(5, -10), fontsize=8)
    axes.set_xlabel("L^(-1/ν)")
    axes.set_ylabel("crossing temperature T*(L)")
    axes.set_title("Finite-size scaling")
    axes.legend(fontsize=8)
    axes.grid(alpha=0.3)
    return finish_figure(figure, ax, path, dpi)


def plot_collapse(
    results: dict, path: FilePath = None, *, ax: AxesLike = None, dpi: int = 90
) -> Figure:
    """The outputs against (T - Tc) L^(1/nu): one curve for every L if the scaling holds."""
    figure, (axes,) = figure_and_axes(ax, 1, (5, 3.6))
    collapsed = results["collapse"]
    if collapsed is None:  # no exponent to collapse with
        axes.text(
            0.5, 0.5, "no collapse: ν could not be fitted", ha="center", transform=axes.transAxes
        )
        return save_figure(figure, path, dpi=dpi)
    for L, x, y in zip(results["crossings"], collapsed.x, collapsed.y, strict=True):
        axes.plot(x, y, marker="o", markersize=3, linewidth=1, label=f"L = {L}")
    axes.set_xlabel("(T - Tc) L^(1/ν)")
    axes.set_ylabel("mean output P(ordered)")
    axes.set_title(f"Data collapse (Tc = {results['tc']:.3f}, ν = {results['nu']:.2f})")
    axes.set_xlim(-8, 8)
    axes.legend(fontsize=8)
    axes.grid(alpha=0.3)
    return finish_figure(figure, ax, path, dpi)


def observables(test: dict) -> dict:
    """Per L: temperatures, mean ``|m|``, mean energy per spin and the Binder cumulant."""
    table = {}
    for L, data in test.items():
        temperatures = np.unique(data["temperatures"])
        rows = [data["spins"][data["temperatures"] == T] for T in temperatures]
        table[L] = {
            "T": temperatures,
            "m": np.array([np.abs(magnetization(s)).mean() for s in rows]),
            "energy": np.array([energy(s).mean() for s in rows]),
            "binder": np.array([binder_cumulant(s) for s in rows]),
        }
    return table


def plot_observables(
    test: dict, path: FilePath = None, *, ax: AxesLike = None, dpi: int = 90
) -> Figure:
    """``|m|``, energy per spin and the Binder cumulant against T per L (``ax``: three Axes)."""
    figure, (m_axes, e_axes, u_axes) = figure_and_axes(ax, 3, (11, 3.4))
    table = observables(test)
    for L, row in table.items():
        m_axes.plot(row["T"], row["m"], "o", markersize=3, label=f"L = {L}")
        e_axes.plot(row["T"], row["energy"], "o", markersize=3, label=f"L = {L}")
        u_axes.plot(row["T"], row["binder"], "o-", markersize=3, linewidth=1, label=f"L = {L}")
    fine = np.linspace(
        min(r["T"].min() for r in table.values()), max(r["T"].max() for r in table.values()), 300
    )
    m_axes.plot(fine, spontaneous_magnetization(fine), "k-", linewidth=1, label="Onsager-Yang")
    e_axes.plot(fine, onsager_energy(fine), "k-", linewidth=1, label="Onsager")
    for axes, label in (
        (m_axes, "|m| per spin"),
        (e_axes, "energy per spin"),
        (u_axes, "Binder cumulant"),
    ):
        _mark_tc(axes)
        axes.set_xlabel("temperature T")
        axes.set_ylabel(label)
        axes.grid(alpha=0.3)
        axes.legend(fontsize=7)
    u_axes.set_title("curves cross near Tc", fontsize=9)
    return finish_figure(figure, ax, path, dpi)
