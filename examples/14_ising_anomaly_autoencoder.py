"""Anomaly detection: an autoencoder trained on ordered Ising lattices finds the transition
========================================================================================

As in arXiv:2603.20157 (there in 3-D), but on the 2-D Ising model: a
convolutional autoencoder learns to reconstruct Monte Carlo configurations
from low temperatures only (T = 1.0 to 1.6, far below Onsager's
Tc = 2 / ln(1 + sqrt 2) = 2.26919). It is never told about any other
temperature, nor about Tc. Then it reconstructs fresh configurations at
temperatures from 1.0 to 3.5: where they stop looking like what it was
trained on, its reconstruction error rises. Two networks per lattice size L
(different seeds; each configuration's error is averaged over them), periodic
lattices and circular padding. We locate the rise in two ways: where
d(error)/dT peaks, and where the error crosses half-way between its value at
T = 1 and its high-T plateau, and compare both with Tc.
"""

# %%
import time
from pathlib import Path

import numpy as np
from _common import parse
from matplotlib.figure import Figure

from cnnlab import CNN, Adam, CostOLS, identity, tanh
from cnnlab.datasets import train_val_split
from cnnlab.physics import CRITICAL_TEMPERATURE, dataset, magnetization
from cnnlab.plotting import plot_training_curves, save_figure

arguments = parse(__doc__)
quick = arguments.quick
if quick:  # seconds: one tiny lattice, a handful of samples, no cache
    sizes, train_per_T, test_per_T, epochs, networks = (8,), 40, 20, 2, 1
    train_temperatures = (1.0, 1.3, 1.6)
    test_temperatures = (1.0, 1.6, 2.0, 2.2, 2.3, 2.4, 2.8, 3.5)
    cache = None
else:
    sizes, train_per_T, test_per_T, epochs, networks = (16, 32, 64), 400, 200, 8, 2
    train_temperatures = tuple(np.round(np.linspace(1.0, 1.6, 7), 3))
    # sparse far from Tc, every 0.04 from 2.0 to 2.6
    test_temperatures = tuple(np.round(np.r_[1.0, 1.2, 1.4, 1.6, 1.8, 1.9,
                                             np.linspace(2.0, 2.6, 16),
                                             2.7, 2.8, 3.0, 3.2, 3.5], 3))  # fmt: skip
    # the Monte Carlo cache stays out of the figure folder (which may be docs/img);
    # a fixed name, not __file__, which a notebook kernel does not define
    cache = Path("example_output") / "14_ising_anomaly_autoencoder" / "cache"
TC = CRITICAL_TEMPERATURE
timings = {"simulation": 0.0, "training": 0.0, "evaluation": 0.0}

# %%
# Monte Carlo: ordered training lattices, fresh test lattices over the whole range
start = time.perf_counter()
train = dataset(sizes, train_temperatures, train_per_T, algorithm="metropolis", seed=1,
                cache=cache, progress=not quick)  # fmt: skip
# Swendsen-Wang clusters decorrelate near Tc, where single spin flips slow down
test = dataset(sizes, test_temperatures, test_per_T, algorithm="cluster", seed=2,
               cache=cache, progress=not quick)  # fmt: skip
timings["simulation"] = time.perf_counter() - start
if cache is not None:
    print(f"Monte Carlo cached in {cache}")


# %%
# The autoencoder: circular convolutions down to L/4, a dense code of 8 numbers, back up
def autoencoder(L: int, seed: int) -> CNN:
    """(1, L, L) -> (16, L/4, L/4) -> 8 numbers -> (16, L/4, L/4) -> (1, L, L), tanh output.

    Stride-2 4x4 convolutions with "same" circular padding halve the lattice;
    4x4 transposed convolutions with stride 2 and padding 1 double it again.
    The activations are LRELU (the default): plain ReLUs before a transposed
    convolution can die on so uniform a training set.
    """
    cnn = CNN(CostOLS, Adam(eta=2e-3), seed=seed)
    cnn.add_Convolution2DLayer(1, 8, 3, 3, padding_mode="circular")  # (8, L, L)
    cnn.add_Convolution2DLayer(8, 16, 4, 4, 2, 2, padding_mode="circular")  # (16, L/2, L/2)
    cnn.add_Convolution2DLayer(16, 16, 4, 4, 2, 2, padding_mode="circular")  # (16, L/4, L/4)
    cnn.add_FlattenLayer()
    cnn.add_FullyConnectedLayer(8, identity)  # the code
    cnn.add_FullyConnectedLayer(16 * (L // 4) ** 2)
    cnn.add_ReshapeLayer((16, L // 4, L // 4))
    cnn.add_TransposedConvolution2DLayer(16, 8, 4, 4, 2, 2, 1)  # (8, L/2, L/2)
    cnn.add_TransposedConvolution2DLayer(8, 8, 4, 4, 2, 2, 1)  # (8, L, L)
    # the output: one channel, tanh keeps it in [-1, 1] like the spins
    cnn.add_Convolution2DLayer(8, 1, 3, 3, act_func=tanh, padding_mode="circular")
    return cnn


def reconstruction_errors(cnn: CNN, spins: np.ndarray):
    """The reconstructions and the MSE of each configuration, over its L^2 spins."""
    X = spins[:, None].astype(np.float32)
    reconstructions = cnn.predict(X)
    return reconstructions, ((reconstructions - X) ** 2).mean(axis=(1, 2, 3))


def curve(errors, temperatures, grid):
    """Mean error and its standard error at each temperature of ``grid``."""
    groups = [errors[temperatures == T] for T in grid]
    means = np.array([g.mean() for g in groups])
    sems = np.array([g.std(ddof=1) / np.sqrt(len(g)) for g in groups])
    return means, sems


# %%
# Where the error rises: the peak of its derivative, and the half-way crossing
def rise(grid, means):
    """``(T at the peak of d(error)/dT, T where the error crosses half-way)``.

    The derivative is ``np.gradient`` on the (uneven) grid, its peak refined by
    a parabola through the largest value and its neighbours. Half-way lies
    between the error at the lowest T and the mean over T >= 3 (the high-T
    plateau), found by linear interpolation at the first upward crossing.
    """
    slope = np.gradient(means, grid)
    k = int(np.argmax(slope))
    peak = grid[k]
    if 0 < k < len(grid) - 1:
        a, b, _ = np.polyfit(grid[k - 1 : k + 2], slope[k - 1 : k + 2], 2)
        if a < 0:
            peak = float(np.clip(-b / (2 * a), grid[k - 1], grid[k + 1]))
    high = means[grid >= 3.0].mean() if np.any(grid >= 3.0) else means[-1]
    half = 0.5 * (means[0] + high)
    above = np.flatnonzero(means >= half)
    halfway = np.nan
    if above.size and above[0] > 0:
        i = above[0]
        halfway = float(np.interp(half, means[i - 1 : i + 1], grid[i - 1 : i + 1]))
    return float(peak), halfway


def bootstrap_rise(errors, temperatures, grid, *, draws=300, seed=0):
    """Standard errors of both rise locations, resampling the configurations at each T."""
    rng = np.random.default_rng(seed)
    groups = [errors[temperatures == T] for T in grid]
    found = [rise(grid, np.array([g[rng.integers(0, len(g), len(g))].mean() for g in groups]))
             for _ in range(draws)]  # fmt: skip
    return np.nanstd(np.array(found), axis=0, ddof=1)


# %%
# Train autoencoders per L on low-T lattices, both signs of the magnetisation
grid = np.array(test_temperatures)
results, histories, shown = {}, {}, {}
for L in sizes:
    temperatures = test[L]["temperatures"]
    member_errors, member_rises = [], []
    for member in range(networks):
        rng = np.random.default_rng([L, member])
        spins = train[L]["spins"]
        # the ordered chains start all up or all down at random; flipping a random half
        # makes sure the network sees both signs equally often
        flips = rng.choice(np.array([-1, 1], dtype=np.int8), len(spins))
        X = (spins * flips[:, None, None])[:, None].astype(np.float32)
        X_train, X_val, _, _ = train_val_split(
            X, np.arange(len(X)), val_fraction=0.1, seed=member, stratify=False
        )
        cnn = autoencoder(L, seed=1000 * member + L)
        start = time.perf_counter()
        history = cnn.fit(X_train, X_train, epochs=epochs, batch_size=32, X_val=X_val,
                          t_val=X_val, verbose=False)  # fmt: skip
        timings["training"] += time.perf_counter() - start
        start = time.perf_counter()
        reconstructions, errors = reconstruction_errors(cnn, test[L]["spins"])
        timings["evaluation"] += time.perf_counter() - start
        member_errors.append(errors)
        member_rises.append(rise(grid, curve(errors, temperatures, grid)[0]))
        if member == 0:  # the first network's curves and reconstructions are drawn
            histories[L], shown[L] = history, (reconstructions, errors)
    errors = np.mean(member_errors, axis=0)  # each configuration's error, averaged over networks
    means, sems = curve(errors, temperatures, grid)
    peak, halfway = rise(grid, means)
    peak_error, halfway_error = bootstrap_rise(errors, temperatures, grid)
    abs_m = np.array([np.abs(magnetization(test[L]["spins"][temperatures == T])).mean()
                      for T in grid])  # fmt: skip
    results[L] = {"means": means, "sems": sems, "peak": peak, "peak_error": peak_error,
                  "halfway": halfway, "halfway_error": halfway_error, "abs_m": abs_m,
                  "members": member_rises, "magnetization": rise(grid, 2 * (1 - abs_m)),
                  "n_train": len(X_train)}  # fmt: skip

# %%
# The numbers
print(f"Onsager: Tc = {TC:.5f}; {networks} network(s) per L trained on T = "
      f"{train_temperatures[0]} to {train_temperatures[-1]}, {epochs} epochs")  # fmt: skip
for L, r in results.items():
    peaks, halves = (", ".join(f"{v:.3f}" for v in values) for values in np.array(r["members"]).T)
    print(f"L = {L:3d} ({r['n_train']} training lattices, final val MSE "
          f"{histories[L]['val_mse'][-1]:.4f}):\n"
          f"  d(error)/dT peaks at T = {r['peak']:.3f} ± {r['peak_error']:.3f} "
          f"({r['peak'] - TC:+.3f} from Tc; each network: {peaks})\n"
          f"  half-way at T = {r['halfway']:.3f} ± {r['halfway_error']:.3f} "
          f"({r['halfway'] - TC:+.3f}; each network: {halves})\n"
          f"  the same for 2(1 - <|m|>): peak {r['magnetization'][0]:.3f}, "
          f"half-way {r['magnetization'][1]:.3f}")  # fmt: skip
print("mean reconstruction error (± standard error) at some T; 2(1 - <|m|>) in brackets:")
picked = [float(grid[np.argmin(np.abs(grid - T))]) for T in (1.0, 1.6, 2.0, TC, 2.6, 3.5)]
for T in dict.fromkeys(picked):
    i = int(np.flatnonzero(grid == T)[0])
    row = "  ".join(f"L={L}: {r['means'][i]:.3f} ± {r['sems'][i]:.3f} "
                    f"[{2 * (1 - r['abs_m'][i]):.3f}]" for L, r in results.items())  # fmt: skip
    print(f"  T = {T:.3f}  {row}")
print("seconds:", {key: round(value, 1) for key, value in timings.items()})

# %%
# Figure 1: the error against T, and its derivative
colours = dict(zip(sizes, ("tab:blue", "tab:orange", "tab:green", "tab:red"), strict=False))
figure = Figure(figsize=(11, 4.2))
left, right = figure.subplots(1, 2)
left.axvspan(train_temperatures[0], train_temperatures[-1], color="0.9", label="training T")
for L, r in results.items():
    left.errorbar(grid, r["means"], r["sems"], marker="o", ms=3, capsize=2, color=colours[L],
                  label=f"L = {L}")  # fmt: skip
    left.plot(grid, 2 * (1 - r["abs_m"]), ":", color=colours[L], lw=1)
    slope = np.gradient(r["means"], grid)
    right.plot(grid, slope, marker="o", ms=3, color=colours[L], label=f"L = {L}")
    right.axvline(r["peak"], color=colours[L], ls="--", lw=1)
    left.plot(r["halfway"], np.interp(r["halfway"], grid, r["means"]), "D", ms=7,
              mfc="none", color=colours[L])  # fmt: skip
left.plot([], [], ":", color="k", lw=1, label="2(1 − ⟨|m|⟩)")
left.plot([], [], "D", mfc="none", color="k", label="half-way")
for axes in (left, right):
    axes.axvline(TC, color="k", lw=1.2, label=f"Onsager Tc = {TC:.3f}")
    axes.set_xlabel("temperature T")
    axes.grid(alpha=0.3)
left.set(ylabel="reconstruction MSE per spin",
         title="Autoencoder trained at low T: reconstruction error")  # fmt: skip
right.set(ylabel="d(error)/dT", title="Its derivative (dashed: peak per L)")
left.legend(fontsize=8)
right.legend(fontsize=8)
figure.tight_layout()
save_figure(figure, arguments.output / "ising_anomaly_error.png", dpi=90)

# %%
# Figure 2: configurations of the largest L and their reconstructions
L = max(sizes)
reconstructions, errors = shown[L]
temperatures = test[L]["temperatures"]
wanted = (1.6, 2.2, TC, 2.4, 3.5)
columns = list(dict.fromkeys(float(grid[np.argmin(np.abs(grid - T))]) for T in wanted))
figure = Figure(figsize=(2.1 * len(columns), 4.6))
axes = figure.subplots(2, len(columns), squeeze=False)
for j, T in enumerate(columns):
    i = int(np.flatnonzero(temperatures == T)[0])  # the first configuration at this T
    axes[0, j].imshow(test[L]["spins"][i], cmap="coolwarm", vmin=-1, vmax=1)
    axes[0, j].set_title(f"T = {T:.2f}", fontsize=9)
    image = axes[1, j].imshow(reconstructions[i, 0], cmap="coolwarm", vmin=-1, vmax=1)
    axes[1, j].set_title(f"MSE {errors[i]:.2f}", fontsize=9)
for a in axes.ravel():
    a.set_xticks([])
    a.set_yticks([])
axes[0, 0].set_ylabel("configuration")
axes[1, 0].set_ylabel("reconstruction")
figure.colorbar(image, ax=axes.ravel().tolist(), shrink=0.6, label="spin")
figure.suptitle(f"L = {L}: below, at and above Tc = {TC:.3f}")
save_figure(figure, arguments.output / "ising_anomaly_reconstructions.png", dpi=90)

# %%
# Figure 3: training curves of the largest L
figure = plot_training_curves(histories[L], title=f"Autoencoder, L = {L}")
save_figure(figure, arguments.output / "ising_anomaly_training.png", dpi=80)
print(f"figures written to {arguments.output}")
