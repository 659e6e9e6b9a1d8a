"""Networks that end in images: autoencoders, decoders, any input size after global pooling."""

import numpy as np
import pytest

import cnnlab
from cnnlab import CNN, RELU, Adam, CostLogReg, CostOLS, identity, sigmoid, softmax
from cnnlab.plotting import plot_training_curves


def autoencoder(cost=CostOLS, output=identity, seed=0):
    cnn = CNN(cost, Adam(5e-3), seed=seed)
    cnn.add_Convolution2DLayer(1, 4, 3, 3, 2, 2, act_func=RELU)  # 8x8 -> 4x4
    cnn.add_BatchNormalization()
    cnn.add_FlattenLayer()
    cnn.add_FullyConnectedLayer(3, identity)  # the code
    cnn.add_FullyConnectedLayer(4 * 4 * 4, RELU)
    cnn.add_ReshapeLayer((4, 4, 4))
    # linear: ReLUs here die within a few epochs on so small a data set
    cnn.add_TransposedConvolution2DLayer(4, 2, 4, 4, 2, 2, 1, act_func=identity)  # -> 8x8
    cnn.add_Convolution2DLayer(2, 1, 3, 3, act_func=output)
    return cnn


def blobs(samples=96, seed=1):
    """8x8 images, each a mix of three smooth patterns: three numbers describe it."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:8, 0:8] / 7
    patterns = np.stack([np.sin(np.pi * x), np.sin(np.pi * y), x * y]).reshape(3, -1)
    weights = rng.uniform(0, 1, (samples, 3))
    return (weights @ patterns).reshape(samples, 1, 8, 8) / 3


def test_an_autoencoder_learns_scores_and_predicts_images(tmp_path):
    X = blobs()
    cnn = autoencoder()
    scores = cnn.fit(X, X, epochs=40, batch_size=16, X_val=X[:32], t_val=X[:32], verbose=False)
    assert cnn.pred_format == "Image"
    assert set(scores) == {"train_error", "train_psnr", "train_mse", "val_error", "val_psnr",
                           "val_mse"}  # fmt: skip
    np.testing.assert_allclose(scores["train_mse"], scores["train_error"], rtol=1e-6)
    assert scores["val_mse"][-1] < 0.5 * X.var(axis=0).mean()  # better than the mean image
    assert scores["val_psnr"][-1] > scores["val_psnr"][0] + 3  # dB
    reconstruction = cnn.predict(X[:5])
    assert reconstruction.shape == (5, 1, 8, 8)
    np.testing.assert_array_equal(reconstruction, cnn.predict_proba(X[:5]))
    code = cnn.output_of(X[:5], 3)
    assert code.shape == (5, 3)
    np.testing.assert_array_equal(code, cnn.output_of(X[:5], cnn.layers[3]))
    np.testing.assert_array_equal(cnn.output_of(X[:5], -1), reconstruction)
    assert "ConvT2D 2x4x4" in cnn.summary(show=False)
    assert "Total parameters" in cnn.summary(show=False)
    figure = plot_training_curves(scores, tmp_path / "curves.png")
    assert figure.axes[1].get_ylabel() == "PSNR (dB)"
    assert len(figure.axes[1].lines) == 2  # no empty panel


def test_an_autoencoder_round_trips_through_save_load_and_a_checkpoint(tmp_path):
    X = blobs(48)
    cnn = autoencoder()
    cnn.fit(X, X, epochs=2, batch_size=16, verbose=False)
    loaded = cnnlab.load(cnn.save(tmp_path / "autoencoder.npz"))
    np.testing.assert_array_equal(loaded.predict(X), cnn.predict(X))
    # 4 epochs at once, against 2 + 2 resumed from the checkpoint: bit-identical
    whole = autoencoder(seed=3)
    whole_scores = whole.fit(X, X, epochs=4, batch_size=16, verbose=False)
    first = autoencoder(seed=3)
    first.fit(X, X, epochs=2, batch_size=16, verbose=False, checkpoint=tmp_path / "run")
    resumed = autoencoder(seed=3)
    scores = resumed.fit(
        X, X, epochs=4, batch_size=16, verbose=False, checkpoint=tmp_path / "run", resume=True
    )
    for key in whole_scores:
        np.testing.assert_array_equal(scores[key], whole_scores[key])
    for a, b in zip(whole.layers, resumed.layers, strict=True):
        for key, value in {**a.params, **a.buffers}.items():
            np.testing.assert_array_equal({**b.params, **b.buffers}[key], value)


def test_a_sigmoid_image_output_uses_the_fused_logistic_gradient():
    X = blobs(64)
    cnn = autoencoder(CostLogReg, sigmoid)
    scores = cnn.fit(X, X, epochs=40, batch_size=16, verbose=False)
    assert scores["train_mse"][-1] < 0.5 * X.var(axis=0).mean()
    output = cnn.predict(X)
    assert output.min() >= 0 and output.max() <= 1


def test_a_network_ending_in_global_pooling_takes_any_size():
    rng = np.random.default_rng(4)
    cnn = CNN(seed=0)
    cnn.add_Convolution2DLayer(1, 4, 3, 3, act_func=RELU, padding_mode="circular")
    cnn.add_BatchNormalization()
    cnn.add_GlobalAveragePoolingLayer()
    cnn.add_OutputLayer(2, softmax)
    X8 = rng.standard_normal((20, 1, 8, 8))
    t = np.eye(2)[rng.integers(0, 2, 20)]
    cnn.fit(X8, t, epochs=2, verbose=False)
    weights = cnn.layers[0].params["W"].copy()
    X16 = np.tile(X8, (1, 1, 2, 2))  # the same periodic lattice, twice as large
    assert cnn.predict_proba(X16).shape == (20, 2)
    assert cnn.input_shape == (1, 16, 16)
    np.testing.assert_array_equal(cnn.layers[0].params["W"], weights)
    # with circular padding and a mean over positions, a tiled lattice gives the same output
    np.testing.assert_allclose(cnn.predict_proba(X16), cnn.predict_proba(X8), rtol=1e-5)
    cnn.fit(X16, t, epochs=1, verbose=False)  # and trains at the new size


def test_only_networks_with_global_pooling_take_another_size():
    cnn = CNN(seed=0)
    cnn.add_Convolution2DLayer(1, 2, 3, 3)
    cnn.add_FlattenLayer()
    cnn.add_OutputLayer(2, softmax)
    cnn.predict(np.zeros((2, 1, 6, 6)))
    with pytest.raises(ValueError, match="only a network with a GlobalAveragePoolingLayer takes"):
        cnn.predict(np.zeros((2, 1, 8, 8)))
    assert cnn.input_shape == (1, 6, 6)


def test_output_of_refuses_a_layer_index_out_of_range():
    cnn = autoencoder()
    with pytest.raises(ValueError, match="layer must be an index from -8 to 7 .* got 8"):
        cnn.output_of(blobs(2), 8)
