"""A convolutional autoencoder on MNIST, against PCA with the same number of components
====================================================================================

An autoencoder squeezes each 28 x 28 digit through a narrow code (2 to 32
numbers) and rebuilds it: two strided convolutions (28 -> 14 -> 7), a dense
layer to the code, a dense layer back to 16 maps of 7 x 7, two transposed
convolutions (7 -> 14 -> 28) and a 3 x 3 convolution with a sigmoid. It is
trained on the images themselves, ``fit(X, X)``, with the per-pixel logistic
cost (CostLogReg: pixels lie in [0, 1]). PCA with the same number of
components is the best *linear* code; the autoencoder is a non-linear one.
One autoencoder is trained per code size; the one with code size 2 gives the
2-D map of the digits. Needs the MNIST files (set CNNLAB_DATA to their folder).
"""

# %%
import time

import numpy as np
from _common import mnist_or_exit, parse
from matplotlib.figure import Figure
from sklearn.decomposition import PCA

from cnnlab import CNN, LRELU, Adam, CostLogReg, identity, sigmoid
from cnnlab.nn.metrics import scores
from cnnlab.plotting import plot_training_curves, save_figure

arguments = parse(__doc__)
quick = arguments.quick
(X_train, y_train), (X_test, y_test) = mnist_or_exit(quick)

CODE_SIZES = (2, 8) if quick else (2, 8, 32)  # one autoencoder each
PCA_SIZES = (1, 2, 4, 8, 16, 32, 64)  # PCA is cheap: a whole curve
n_train, n_test, epochs = (1000, 500, 2) if quick else (30000, 10000, 6)
X, X_held_out, y_held_out = X_train[:n_train], X_test[:n_test], y_test[:n_test]
X_val = X_test[: 200 if quick else 1000]  # scored after every epoch (the training curves)
mean_image_mse = float(np.mean((X_held_out - X.mean(axis=0)) ** 2))
print(f"{n_train} training images, {n_test} held-out test images, {epochs} epochs")
print(f"baseline, the mean training image for every digit: held-out MSE {mean_image_mse:.5f}")


# %%
# The autoencoder: encoder, code, decoder
def autoencoder(code_size: int, seed: int = 2023) -> CNN:
    cnn = CNN(CostLogReg, Adam(eta=3e-3), seed=seed)
    cnn.add_Convolution2DLayer(1, 8, 3, 3, 2, 2, pad=1)  # (8, 14, 14), LRELU
    cnn.add_Convolution2DLayer(8, 16, 3, 3, 2, 2, pad=1)  # (16, 7, 7)
    cnn.add_FlattenLayer()
    cnn.add_FullyConnectedLayer(code_size, identity)  # the code
    cnn.add_FullyConnectedLayer(16 * 7 * 7, LRELU)
    cnn.add_ReshapeLayer((16, 7, 7))
    # LRELU, not RELU, in the decoder: dead ReLUs there leave blank patches
    cnn.add_TransposedConvolution2DLayer(16, 8, 4, 4, 2, 2, 1)  # (8, 14, 14)
    cnn.add_TransposedConvolution2DLayer(8, 8, 4, 4, 2, 2, 1)  # (8, 28, 28)
    cnn.add_Convolution2DLayer(8, 1, 3, 3, act_func=sigmoid)  # (1, 28, 28) in [0, 1]
    return cnn


CODE_LAYER = 3  # index of the code layer in cnn.layers
networks, histories, results = {}, {}, {}
for code_size in CODE_SIZES:
    cnn = autoencoder(code_size)
    start = time.perf_counter()
    histories[code_size] = cnn.fit(
        X, X, epochs=epochs, batch_size=64, X_val=X_val, t_val=X_val, verbose=not quick
    )
    seconds = time.perf_counter() - start
    held_out = cnn.evaluate(X_held_out, X_held_out)
    networks[code_size] = cnn
    results[code_size] = {"mse": held_out["mse"], "psnr": held_out["psnr"], "seconds": seconds}
    print(f"autoencoder, code size {code_size:2d}: held-out MSE {held_out['mse']:.5f}, "
          f"PSNR {held_out['psnr']:.2f} dB, trained in {seconds:.0f} s")  # fmt: skip
networks[CODE_SIZES[-1]].summary()

# %%
# PCA with the same number of components, fitted on the same training images
flat, flat_held_out = X.reshape(len(X), -1), X_held_out.reshape(len(X_held_out), -1)
pca_results, pca_reconstructions = {}, {}
for components in sorted(set(PCA_SIZES) | set(CODE_SIZES)):
    pca = PCA(components, random_state=0).fit(flat)
    rebuilt = pca.inverse_transform(pca.transform(flat_held_out)).reshape(X_held_out.shape)
    pca_results[components] = scores(rebuilt, X_held_out, "Image")
    pca_reconstructions[components] = rebuilt
    if components == 2:
        pca_codes = pca.transform(flat_held_out)

print("\nheld-out reconstruction error, the same number of components")
print("code size | autoencoder MSE  PSNR (dB) | PCA MSE  PSNR (dB) | AE time (s)")
for code_size in CODE_SIZES:
    ae, linear = results[code_size], pca_results[code_size]
    print(f"{code_size:9d} | {ae['mse']:15.5f} {ae['psnr']:10.2f} | {linear['mse']:7.5f} "
          f"{linear['psnr']:10.2f} | {ae['seconds']:11.0f}")  # fmt: skip
print("PCA alone:", ", ".join(f"{k}: {pca_results[k]['mse']:.5f}" for k in sorted(pca_results)))
print(f"total autoencoder training time: {sum(r['seconds'] for r in results.values()):.0f} s")

# %%
# Figure 1: originals, then the autoencoder's and PCA's reconstructions at each code size
shown = [int(np.flatnonzero(y_held_out == digit)[0]) for digit in range(10)]
rows = [("original", X_held_out[shown])]
for code_size in CODE_SIZES:
    rows.append((f"autoencoder, {code_size}", networks[code_size].predict(X_held_out[shown])))
    rows.append((f"PCA, {code_size}", np.clip(pca_reconstructions[code_size][shown], 0, 1)))
figure = Figure(figsize=(7.5, 0.8 * len(rows)), layout="constrained")
grid = figure.subplots(len(rows), len(shown))
for row, (label, images) in zip(grid, rows, strict=True):
    for axes, image in zip(row, images, strict=True):
        axes.imshow(image[0], cmap="gray_r", vmin=0, vmax=1)
        axes.set_xticks([])
        axes.set_yticks([])
    row[0].set_ylabel(label, rotation=0, ha="right", va="center", fontsize=9)
figure.suptitle("Held-out digits and their reconstructions (code size = components)")
save_figure(figure, arguments.output / "autoencoder_reconstructions.png", dpi=90)

# %%
# Figure 2: the 2-D code of the autoencoder with code size 2, and PCA's first two components
codes = networks[2].output_of(X_held_out, CODE_LAYER)  # (N, 2)
figure = Figure(figsize=(10, 4.2), layout="constrained")
panels = figure.subplots(1, 2)
for axes, points, title in ((panels[0], codes, "autoencoder code (code size 2)"),
                            (panels[1], pca_codes, "PCA, first two components")):  # fmt: skip
    cloud = axes.scatter(*points[:3000].T, c=y_held_out[:3000], cmap="tab10", vmin=-0.5,
                         vmax=9.5, s=5, alpha=0.8, linewidths=0)  # fmt: skip
    axes.set(title=title, xlabel="code 1", ylabel="code 2")
colour_bar = figure.colorbar(cloud, ax=panels, ticks=range(10))
colour_bar.set_label("digit")
figure.suptitle("Held-out digits in two dimensions, coloured by their label")
save_figure(figure, arguments.output / "autoencoder_code2d.png", dpi=75)  # under 200 KB

# %%
# Figure 3: held-out MSE against the number of components
figure = Figure(figsize=(6.4, 4.2), layout="constrained")
axes = figure.subplots()
components = sorted(pca_results)
axes.plot(components, [pca_results[k]["mse"] for k in components], "o-", label="PCA")
axes.plot(CODE_SIZES, [results[k]["mse"] for k in CODE_SIZES], "s-", ms=7, color="tab:red",
          label=f"convolutional autoencoder ({epochs} epochs)")  # fmt: skip
axes.axhline(mean_image_mse, color="0.5", ls="--", label="mean training image")
axes.set(xscale="log", yscale="log", xlabel="code size = number of PCA components",
         ylabel="held-out MSE per pixel", title=f"Reconstruction error, {n_test} test digits")  # fmt: skip
axes.set_xticks(components, [str(k) for k in components])
axes.grid(alpha=0.3, which="both")
axes.legend()
save_figure(figure, arguments.output / "autoencoder_vs_pca.png", dpi=90)

# %%
# Training curves of the widest code: the cost (per-pixel cross-entropy) and the PSNR
plot_training_curves(histories[CODE_SIZES[-1]], arguments.output / "autoencoder_training.png",
                     title=f"autoencoder, code size {CODE_SIZES[-1]}")  # fmt: skip
print(f"figures written to {arguments.output}")
