"""Batch normalization: a deeper CNN trained with and without it, at two learning rates
====================================================================================

Eight 3x3 convolutions of 16 feature maps on scikit-learn's digits, then a
mean over the positions and a softmax: deep enough for the scale of the
activations to drift from layer to layer. The same network, the same seed
and the same SGD with momentum, once plain and once with a
BatchNormalization after every convolution, at a small and a large
learning rate. Batch statistics in training, running statistics in
evaluation, as in PyTorch.
"""

# %%
import time

import numpy as np
from _common import parse
from matplotlib.figure import Figure

from cnnlab import CNN, RELU, CostCrossEntropy, Momentum, softmax
from cnnlab.datasets import load_digits, onehot, train_val_split
from cnnlab.plotting import save_figure

arguments = parse(__doc__)
DEPTH, MAPS = (3, 8) if arguments.quick else (8, 16)
EPOCHS = 2 if arguments.quick else 25
ETAS = (0.01, 0.1)

X, y = load_digits()
X_train, X_test, t_train, t_test = train_val_split(X, onehot(y), val_fraction=0.25, seed=1)
if arguments.quick:
    X_train, t_train = X_train[:300], t_train[:300]


def network(eta: float, batch_normalization: bool) -> CNN:
    cnn = CNN(CostCrossEntropy, Momentum(eta=eta, momentum=0.9), seed=7)
    channels = 1
    for _ in range(DEPTH):
        cnn.add_Convolution2DLayer(channels, MAPS, 3, 3, act_func=RELU)
        if batch_normalization:
            cnn.add_BatchNormalization()
        channels = MAPS
    cnn.add_GlobalAveragePoolingLayer()
    cnn.add_OutputLayer(10, softmax)
    return cnn


# %%
# Train the four networks
runs = {}
for eta in ETAS:
    for batch_normalization in (False, True):
        cnn = network(eta, batch_normalization)
        start = time.perf_counter()
        scores = cnn.fit(
            X_train, t_train, epochs=EPOCHS, batch_size=32, X_val=X_test, t_val=t_test,
            verbose=False,
        )  # fmt: skip
        seconds = time.perf_counter() - start
        runs[eta, batch_normalization] = scores
        label = "with" if batch_normalization else "without"
        print(
            f"eta={eta:g}, {label} batch normalization: test accuracy "
            f"{scores['val_acc'][-1]:.3f} after {EPOCHS} epochs (best {np.nanmax(scores['val_acc']):.3f}), "
            f"final training cost {scores['train_error'][-1]:.3f}, {seconds:.0f} s"
        )

# %%
# Curves side by side
figure = Figure(figsize=(10, 3.8))
cost_axes, accuracy_axes = figure.subplots(1, 2)
epochs = np.arange(1, EPOCHS + 1)
for (eta, batch_normalization), scores in runs.items():
    style = dict(
        color="C1" if batch_normalization else "C0",
        linestyle="-" if eta == max(ETAS) else "--",
        label=f"{'BN' if batch_normalization else 'plain'}, eta={eta:g}",
    )
    cost_axes.plot(epochs, scores["train_error"], **style)
    accuracy_axes.plot(epochs, scores["val_acc"], **style)
cost_axes.set(xlabel="epoch", ylabel="training cost", yscale="log", title="Training cost")
accuracy_axes.set(xlabel="epoch", ylabel="test accuracy", ylim=(0, 1), title="Test accuracy")
for axes in (cost_axes, accuracy_axes):
    axes.grid(alpha=0.3)
accuracy_axes.legend(fontsize=8)
figure.suptitle(f"{DEPTH} convolutions of {MAPS} maps on digits, SGD with momentum 0.9")
figure.tight_layout()
save_figure(figure, arguments.output / "batchnorm_curves.png", dpi=90)
print(f"figures written to {arguments.output}")
