"""A 1-D CNN tells periodic from chaotic motion of a driven pendulum, against two baselines
========================================================================================

The pendulum theta'' + 0.5 theta' + sin(theta) = A cos(2t/3) of Baker & Gollub
swings periodically at some drive amplitudes A and chaotically at others
(`cnnlab.datasets.load_pendulum`). From a short window of its angular
velocity (4 drive periods, 64 samples), with Gaussian measurement noise of
standard deviation sigma, which is it? A 1-D CNN (three convolutions, global
average pooling) is compared with two baselines a physicist would try first:
logistic regression on the log power spectrum (chaos is broadband, periodic
motion has sharp lines), and logistic regression on the stroboscopic
recurrence, the mean squared difference between samples one and two drive
periods apart (zero for periods 1 and 2 without noise; it knows the drive
period, the CNN and the spectrum are not told it).
"""

# %%
import numpy as np
from _common import parse
from matplotlib.figure import Figure
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from cnnlab import CNN, RELU, Adam, CostCrossEntropy, softmax
from cnnlab.datasets import load_pendulum, onehot, simulate_pendulum, train_val_split
from cnnlab.datasets.timeseries import CHAOTIC_AMPLITUDES, PERIODIC_AMPLITUDES
from cnnlab.plotting import save_figure

arguments = parse(__doc__)
quick = arguments.quick
LENGTH, SAMPLES_PER_PERIOD = 64, 16
n_train, n_test, epochs = (300, 150, 6) if quick else (3000, 1000, 40)
noise_levels = (0.0, 0.5) if quick else (0.0, 0.25, 0.5, 0.75, 1.0)
SHOWN_NOISE = 0.5  # the level whose training curves and windows are drawn

# %%
# The bifurcation diagram: the velocity once per drive period, after the transient
rng = np.random.default_rng(0)
grid = np.linspace(0.85, 1.55, 36 if quick else 281)
starts = 2  # initial states per amplitude, to show coexisting attractors
amplitudes = np.repeat(grid, starts)
_, _, section = simulate_pendulum(
    amplitudes, length=16 if quick else 48, samples_per_period=1,
    transient_periods=30 if quick else 150, theta0=rng.uniform(-np.pi, np.pi, amplitudes.size),
    velocity0=rng.uniform(-2, 2, amplitudes.size),
)  # fmt: skip

figure = Figure(figsize=(10, 6.5))
top, bottom = figure.subfigures(2, 1, height_ratios=[1.1, 1])
axes = top.subplots()
axes.plot(np.repeat(amplitudes, section.shape[1]), section.ravel(), ".", ms=1, color="k", alpha=0.4)
for values, colour, name in ((PERIODIC_AMPLITUDES, "tab:blue", "periodic (label 0)"),
                             (CHAOTIC_AMPLITUDES, "tab:red", "chaotic (label 1)")):  # fmt: skip
    for i, value in enumerate(values):
        axes.axvline(value, color=colour, alpha=0.6, lw=1.2, label=name if i == 0 else None)
axes.set(xlabel="drive amplitude A", ylabel="velocity at drive phase 0",
         title="Bifurcation diagram (Poincaré section) and the amplitudes of the data set")  # fmt: skip
axes.legend(loc="lower left", fontsize=8)

X_show, y_show, a_show = load_pendulum(40, LENGTH, seed=3)
noisy_show, _, _ = load_pendulum(40, LENGTH, seed=3, noise=SHOWN_NOISE)
samples = np.arange(LENGTH) / SAMPLES_PER_PERIOD
for axes, amplitude in zip(bottom.subplots(1, 3, sharey=True), (1.07, 1.47, 1.5), strict=True):
    row = np.flatnonzero(np.isclose(a_show, amplitude))[0]
    axes.plot(samples, noisy_show[row, 0], color="0.7", lw=0.8, label=f"σ = {SHOWN_NOISE}")
    axes.plot(
        samples, X_show[row, 0], color="tab:red" if y_show[row] else "tab:blue", label="σ = 0"
    )
    regime = "chaotic" if y_show[row] else "periodic"
    axes.set(title=f"A = {amplitude}: {regime}", xlabel="time / drive period")
    axes.grid(alpha=0.3)
axes.legend(fontsize=8)
bottom.axes[0].set_ylabel("angular velocity")
save_figure(figure, arguments.output / "timeseries_pendulum.png", dpi=90)


# %%
# Two baselines on hand-made features
def log_power_spectrum(X):
    x = X[:, 0] - X[:, 0].mean(axis=1, keepdims=True)
    return np.log(np.abs(np.fft.rfft(x * np.hanning(x.shape[1]), axis=1)) ** 2 + 1e-6)


def stroboscopic_recurrence(X):
    x = X[:, 0]
    lags = (SAMPLES_PER_PERIOD, 2 * SAMPLES_PER_PERIOD)
    return np.column_stack(
        [np.log(np.mean((x[:, k:] - x[:, :-k]) ** 2, axis=1) + 1e-12) for k in lags]
    )


def baseline_accuracy(features, X_train, y_train, X_test, y_test):
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))
    return model.fit(features(X_train), y_train).score(features(X_test), y_test)


# %%
# The 1-D CNN, trained at each noise level; windows are (N, 1, 64), channels first
def pendulum_cnn():
    cnn = CNN(cost_func=CostCrossEntropy, scheduler=Adam(eta=3e-3), seed=2023)
    cnn.add_Convolution1DLayer(1, 8, 5, act_func=RELU)
    cnn.add_Pooling1DLayer(2)
    cnn.add_Convolution1DLayer(8, 16, 5, act_func=RELU)
    cnn.add_Pooling1DLayer(2)
    cnn.add_Convolution1DLayer(16, 16, 5, act_func=RELU)
    cnn.add_GlobalAveragePoolingLayer()
    cnn.add_OutputLayer(2, softmax)
    return cnn


results = {"1-D CNN": [], "log power spectrum + LR": [], "stroboscopic recurrence + LR": []}
for noise in noise_levels:
    # The same seeds at every level: the same pendulums, only the noise differs.
    X, y, _ = load_pendulum(n_train, LENGTH, seed=0, noise=noise)
    X_test, y_test, _ = load_pendulum(n_test, LENGTH, seed=1, noise=noise)
    X_fit, X_val, t_fit, t_val = train_val_split(X, onehot(y), val_fraction=0.2, seed=0)
    cnn = pendulum_cnn()
    scores = cnn.fit(X_fit, t_fit, epochs=epochs, batch_size=32, X_val=X_val, t_val=t_val,
                     verbose=False)  # fmt: skip
    if noise == SHOWN_NOISE:
        shown_scores = scores
    results["1-D CNN"].append(cnn.evaluate(X_test, onehot(y_test))["acc"])
    for name, features in (("log power spectrum + LR", log_power_spectrum),
                           ("stroboscopic recurrence + LR", stroboscopic_recurrence)):  # fmt: skip
        results[name].append(baseline_accuracy(features, X, y, X_test, y_test))

print(f"test accuracy on {n_test} windows of {LENGTH} samples ({n_train} for training):")
print(f"{'noise sigma':>30}" + "".join(f"{noise:>7.2f}" for noise in noise_levels))
for name, accuracies in results.items():
    print(f"{name:>30}" + "".join(f"{accuracy:>7.3f}" for accuracy in accuracies))

# %%
# Accuracy against noise; the CNN's training curves at one level
figure = Figure(figsize=(10, 3.8))
accuracy_axes, curve_axes = figure.subplots(1, 2)
for (name, accuracies), marker in zip(results.items(), "osD", strict=True):
    accuracy_axes.plot(noise_levels, accuracies, marker=marker, label=name)
accuracy_axes.set(xlabel="measurement noise σ (velocity units)", ylabel="test accuracy",
                  title="Periodic or chaotic, from 4 drive periods")  # fmt: skip
accuracy_axes.grid(alpha=0.3)
accuracy_axes.legend(fontsize=8)
epoch = np.arange(1, len(shown_scores["train_acc"]) + 1)
curve_axes.plot(epoch, shown_scores["train_acc"], label="training")
curve_axes.plot(epoch, shown_scores["val_acc"], label="validation")
curve_axes.set(xlabel="epoch", ylabel="accuracy", title=f"1-D CNN at σ = {SHOWN_NOISE}")
curve_axes.grid(alpha=0.3)
curve_axes.legend(fontsize=8)
figure.tight_layout()
save_figure(figure, arguments.output / "timeseries_accuracy.png", dpi=90)
print(f"figures written to {arguments.output}")
