"""One table of bad inputs across the public API: each gives a clear ValueError or TypeError.

``python tests/test_bad_inputs.py`` prints the table (input, error, message) in Markdown.
"""

from pathlib import Path

import numpy as np
import pytest
from networks import image_network

import cnnlab
from cnnlab import CNN, Adam, CostCrossEntropy, CostOLS, Momentum, sigmoid
from cnnlab.callbacks import EarlyStopping
from cnnlab.datasets import load_cifar10, load_mnist, onehot, train_val_split
from cnnlab.imaging import (
    conv_output_size,
    convolve2d,
    gaussian,
    pad,
    read_image,
    sobel,
    svd_compress,
)
from cnnlab.layers import (
    ActivationLayer,
    BatchNormalization,
    Convolution1DLayer,
    Convolution2DLayer,
    Dropout,
    FullyConnectedLayer,
    GlobalAveragePoolingLayer,
    Pooling1DLayer,
    Pooling2DLayer,
    ReshapeLayer,
    TransposedConvolution2DLayer,
    Upsampling2DLayer,
)

IMAGES = np.random.default_rng(0).random((4, 1, 6, 6))
TARGETS = np.eye(3)[[0, 1, 2, 0]]


def network():
    return image_network(input_channels=1, feature_maps=2, kernel_height=3, kernel_width=3)


def built_layer(dtype=np.float64):
    layer = Convolution2DLayer(1, 2)
    layer.build((1, 6, 6), np.random.default_rng(0), dtype)
    return layer


def _unsupported_torch_module():
    torch = pytest.importorskip("torch")
    from cnnlab.export import from_torch

    return from_torch(torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.GELU()), (3,))


def batch_normalization_in_training(X):
    layer = BatchNormalization()
    layer.build(X.shape[1:], np.random.default_rng(0))
    return layer.forward(X, training=True)


def with_nan(array):
    array = array.copy()
    array.flat[3] = np.nan
    return array


CASES = [
    # (description, call, error, message fragment)
    (
        "model file: a description that is a JSON list",
        lambda: cnnlab.load(_model_file(lambda d: [d])),
        ValueError,
        "has a malformed description: a JSON list, not an object",
    ),
    (
        "model file: a description nested 100,000 deep",
        lambda: cnnlab.load(_model_file(lambda d: "[" * 100_000 + "]" * 100_000)),
        ValueError,
        "has a malformed description: RecursionError",
    ),
    (
        "model file: NaN weights",
        lambda: cnnlab.load(_model_file(change_arrays=lambda a: a["layer1.W"].fill(np.nan))),
        ValueError,
        "layer 1 W holds NaN or infinite values",
    ),
    (
        "model file: a negative learning rate",
        lambda: cnnlab.load(_model_file(lambda d: _set(d["etas"], "1.W", -1.0) and d)),
        ValueError,
        r"the learning rate of layer 1 W is -1.0, not > 0",
    ),
    (
        "model file: an optimizer step count of -1",
        lambda: cnnlab.load(
            _model_file(change_arrays=lambda a: a.update({"optimizer1.W.t": np.array(-1)}))
        ),
        ValueError,
        "Adam's step count t must be >= 0, got -1",
    ),
    (
        "model file: a description without its cost",
        lambda: cnnlab.load(_model_file(lambda d: {k: v for k, v in d.items() if k != "cost"})),
        ValueError,
        "is malformed: KeyError 'cost'",
    ),
    (
        "fit: a callback that is not a callback",
        lambda: network().fit(IMAGES, TARGETS, verbose=False, callbacks=[print]),
        TypeError,
        "callbacks must hold cnnlab.callbacks.Callback objects",
    ),
    (
        "fit: a monitor name that does not exist",
        lambda: network().fit(
            IMAGES, TARGETS, verbose=False, callbacks=[EarlyStopping("val_loss")]
        ),
        ValueError,
        r"monitors 'val_loss', which this run does not score; valid names: \['train_error', "
        r"'train_acc', 'val_error', 'val_acc'\]",
    ),
    (
        "load: a custom layer that was not handed over",
        lambda: cnnlab.load(_custom_layer_file()),
        ValueError,
        r"unknown layer class 'MyFlatten'; if it is your own, hand it over: "
        r"cnnlab.load\(path, custom_layers=\{'MyFlatten': MyFlatten\}\)",
    ),
    (
        "gradcheck: a float32 layer",
        lambda: cnnlab.gradcheck(built_layer(np.float32), (1, 6, 6)),
        ValueError,
        "gradcheck needs a float64 layer",
    ),
    (
        "CNN: scheduler given as a string",
        lambda: CNN(scheduler="adam"),
        TypeError,
        "scheduler must be a cnnlab scheduler",
    ),
    (
        "CNN: unknown cost name",
        lambda: CNN(cost_func="mse"),
        ValueError,
        "cost_func must be one of",
    ),
    ("CNN: negative seed", lambda: CNN(seed=-3), ValueError, "seed must be >= 0, got -3"),
    ("CNN: float seed", lambda: CNN(seed=1.5), TypeError, "seed must be an integer, got 1.5"),
    (
        "CNN: dtype float16",
        lambda: CNN(dtype=np.float16),
        ValueError,
        "dtype must be float32 or float64",
    ),
    (
        "fit: object-dtype X",
        lambda: network().fit(IMAGES.astype(object), TARGETS, verbose=False),
        TypeError,
        "X must be a numeric array, got dtype object",
    ),
    (
        "fit: complex X",
        lambda: network().fit(IMAGES + 1j, TARGETS, verbose=False),
        TypeError,
        "X must be real-valued",
    ),
    (
        "fit: string X",
        lambda: network().fit("images", TARGETS, verbose=False),
        TypeError,
        "X must be a numeric array, got a string",
    ),
    (
        "fit: 3-D X for a conv network",
        lambda: network().fit(IMAGES[:, 0], TARGETS, verbose=False),
        ValueError,
        "X must have 4 dimensions, got 3",
    ),
    (
        "fit: empty X",
        lambda: network().fit(IMAGES[:0], TARGETS[:0], verbose=False),
        ValueError,
        "X must not be empty",
    ),
    (
        "fit: NaN in X",
        lambda: network().fit(with_nan(IMAGES), TARGETS, verbose=False),
        ValueError,
        "X contains 1 NaN or infinite values",
    ),
    (
        "fit: inf in t",
        lambda: network().fit(IMAGES, np.where(TARGETS > 0, np.inf, 0), verbose=False),
        ValueError,
        "t contains 4 NaN or infinite values",
    ),
    (
        "fit: X and t lengths differ",
        lambda: network().fit(IMAGES, TARGETS[:3], verbose=False),
        ValueError,
        "got 4 and 3",
    ),
    (
        "fit: integer labels for softmax",
        lambda: network().fit(IMAGES, [0, 1, 2, 0], verbose=False),
        ValueError,
        "one-hot encode class labels",
    ),
    (
        "fit: t not one-hot",
        lambda: network().fit(IMAGES, TARGETS * 0.5, verbose=False),
        ValueError,
        "t must be one-hot",
    ),
    (
        "fit: t with wrong width",
        lambda: network().fit(IMAGES, np.eye(4)[[0, 1, 2, 3]], verbose=False),
        ValueError,
        r"t must have shape \(4, 3\)",
    ),
    (
        "fit: epochs = 0",
        lambda: network().fit(IMAGES, TARGETS, epochs=0, verbose=False),
        ValueError,
        "epochs must be >= 1, got 0",
    ),
    (
        "fit: epochs as string",
        lambda: network().fit(IMAGES, TARGETS, epochs="5", verbose=False),
        TypeError,
        "epochs must be an integer, got '5'",
    ),
    (
        "fit: negative lam",
        lambda: network().fit(IMAGES, TARGETS, lam=-1.0, verbose=False),
        ValueError,
        "lam must be >= 0.0, got -1.0",
    ),
    (
        "fit: lam = NaN",
        lambda: network().fit(IMAGES, TARGETS, lam=float("nan"), verbose=False),
        ValueError,
        "lam must be finite",
    ),
    (
        "fit: batches > samples",
        lambda: network().fit(IMAGES, TARGETS, batches=5, verbose=False),
        ValueError,
        r"batches=5 is larger than the number of samples \(4\)",
    ),
    (
        "fit: batch_size = 0",
        lambda: network().fit(IMAGES, TARGETS, batch_size=0, verbose=False),
        ValueError,
        "batch_size must be >= 1, got 0",
    ),
    (
        "fit: X_val without t_val",
        lambda: network().fit(IMAGES, TARGETS, X_val=IMAGES, verbose=False),
        ValueError,
        "give both X_val and t_val",
    ),
    (
        "fit: eta_decay = 2",
        lambda: network().fit(IMAGES, TARGETS, eta_decay=2.0, verbose=False),
        ValueError,
        r"eta_decay must be in \(0, 1\]",
    ),
    (
        "fit: resume without folder",
        lambda: network().fit(IMAGES, TARGETS, resume=True, verbose=False),
        ValueError,
        "resume=True needs checkpoint=FOLDER",
    ),
    (
        "fit: checkpoint folder as int",
        lambda: network().fit(IMAGES, TARGETS, checkpoint=3, verbose=False),
        TypeError,
        "checkpoint must be a folder path, got 3",
    ),
    (
        "predict: wrong image size",
        lambda: _fitted().predict(IMAGES[:, :, :5, :5]),
        ValueError,
        r"built for \(1, 6, 6\)",
    ),
    (
        "predict: threshold as string",
        lambda: _fitted().predict(IMAGES, threshold="high"),
        TypeError,
        "threshold must be a real number",
    ),
    (
        "add: not a layer",
        lambda: network().add("dense"),
        TypeError,
        "add\\(\\) takes a cnnlab layer",
    ),
    (
        "add: dense after conv without flatten",
        lambda: _conv_only().add_FullyConnectedLayer(4),
        ValueError,
        "without a FlattenLayer",
    ),
    (
        "add: layer after the output layer",
        lambda: network().add_FlattenLayer(),
        ValueError,
        "cannot add FlattenLayer after the OutputLayer",
    ),
    (
        "fit: no output layer (ends in a dense layer)",
        lambda: _dense_end().fit(IMAGES, TARGETS, verbose=False),
        ValueError,
        "must end in an OutputLayer",
    ),
    (
        "fit: image outputs with CostCrossEntropy",
        lambda: _conv_only().fit(IMAGES, IMAGES, verbose=False),
        ValueError,
        "CostCrossEntropy needs a softmax OutputLayer; a network with image outputs takes CostOLS",
    ),
    (
        "fit: image target of the wrong shape",
        lambda: _conv_only(CostOLS).fit(IMAGES, IMAGES[:, :, :4], verbose=False),
        ValueError,
        r"t must have shape \(4, 2, 6, 6\) to match the network's output",
    ),
    (
        "conv: kernel larger than padded input",
        lambda: Convolution2DLayer(1, 1, 9, 9, pad="valid").build(
            (1, 6, 6), np.random.default_rng()
        ),
        ValueError,
        "kernel 9x9 is larger than the padded input 6x6",
    ),
    (
        "conv: unknown padding mode",
        lambda: Convolution2DLayer(padding_mode="reflect"),
        ValueError,
        r"padding_mode must be one of \('zeros', 'circular'\), got 'reflect'",
    ),
    (
        "conv: circular padding wider than the image",
        lambda: Convolution2DLayer(1, 1, 5, 5, pad=4, padding_mode="circular").build(
            (1, 3, 3), np.random.default_rng()
        ),
        ValueError,
        "padding_mode='circular' can wrap at most the input's own size",
    ),
    (
        "conv1d: zero dilation",
        lambda: Convolution1DLayer(1, 1, 3, dilation=0),
        ValueError,
        "dilation must be >= 1, got 0",
    ),
    (
        "conv1d: images instead of signals",
        lambda: Convolution1DLayer(1, 1, 3).build((1, 6, 6), np.random.default_rng()),
        ValueError,
        r"expects signals of shape \(channels, length\)",
    ),
    (
        "pool1d: window longer than the signal",
        lambda: Pooling1DLayer(8).build((1, 6), np.random.default_rng()),
        ValueError,
        "pooling kernel 8 is larger than its input 6",
    ),
    (
        "global pooling of flat input",
        lambda: GlobalAveragePoolingLayer().build((6,), np.random.default_rng()),
        ValueError,
        r"expects \(channels, length\) or \(channels, height, width\) samples",
    ),
    (
        "upsampling: a size of 0",
        lambda: Upsampling2DLayer(0),
        ValueError,
        "size must be >= 1, got 0",
    ),
    (
        "transposed convolution: an empty output",
        lambda: TransposedConvolution2DLayer(1, 1, 2, 2, pad=1).build(
            (1, 1, 1), np.random.default_rng()
        ),
        ValueError,
        r"output would be empty: .* gives \(0, 0\)",
    ),
    (
        "transposed convolution: pad 'same'",
        lambda: TransposedConvolution2DLayer(pad="same"),
        TypeError,
        "pad of a transposed convolution is a number of pixels",
    ),
    (
        "batch normalization: a batch of one in training",
        lambda: batch_normalization_in_training(np.ones((1, 4))),
        ValueError,
        r"needs more than one value per channel in training, got a batch of shape \(1, 4\)",
    ),
    (
        "activation layer: softmax on images",
        lambda: ActivationLayer("softmax").build((1, 4, 4), np.random.default_rng()),
        ValueError,
        r"ActivationLayer\(softmax\) needs flat input \(N, K\), got samples of shape \(1, 4, 4\)",
    ),
    (
        "from_torch: an unsupported module",
        _unsupported_torch_module,
        ValueError,
        "from_torch does not support GELU",
    ),
    (
        "batch normalization: momentum 2",
        lambda: BatchNormalization(momentum=2),
        ValueError,
        r"momentum must be in \[0, 1\], got 2",
    ),
    (
        "reshape: another number of values",
        lambda: ReshapeLayer((5, 5)).build((24,), np.random.default_rng()),
        ValueError,
        r"cannot reshape samples of shape \(24,\) \(24 values\) to \(5, 5\)",
    ),
    (
        "conv: channel mismatch",
        lambda: Convolution2DLayer(3, 1).build((1, 6, 6), np.random.default_rng()),
        ValueError,
        "input_channels=3, but its input has 1 channels",
    ),
    (
        "conv: zero feature maps",
        lambda: Convolution2DLayer(1, 0),
        ValueError,
        "feature_maps must be >= 1, got 0",
    ),
    (
        "conv: negative pad",
        lambda: Convolution2DLayer(pad=-1),
        ValueError,
        "pad must be >= 0, got -1",
    ),
    (
        "conv: pad 'full'",
        lambda: Convolution2DLayer(pad="full"),
        ValueError,
        "pad must be 'same', 'valid' or a non-negative int",
    ),
    (
        "conv: stride as float",
        lambda: Convolution2DLayer(v_stride=2.0),
        TypeError,
        "v_stride must be an integer, got 2.0",
    ),
    (
        "conv: unknown activation",
        lambda: Convolution2DLayer(act_func="gelu"),
        ValueError,
        "act_func='gelu' is not a known activation",
    ),
    (
        "conv: forward on object array",
        lambda: built_layer().forward(IMAGES.astype(object)),
        TypeError,
        "X must be a float array",
    ),
    (
        "conv: forward on list",
        lambda: built_layer().forward(IMAGES.tolist()),
        TypeError,
        "X must be a float array",
    ),
    (
        "pool: unknown mode",
        lambda: Pooling2DLayer(pooling="median"),
        ValueError,
        "pooling must be one of",
    ),
    (
        "pool: kernel larger than input",
        lambda: Pooling2DLayer(7, 7).build((1, 6, 6), np.random.default_rng()),
        ValueError,
        "pooling kernel 7x7 is larger than its input 6x6",
    ),
    (
        "dense: nodes as float",
        lambda: FullyConnectedLayer(10.0),
        TypeError,
        "nodes must be an integer, got 10.0",
    ),
    (
        "dense: image input",
        lambda: FullyConnectedLayer(10).build((1, 6, 6), np.random.default_rng()),
        ValueError,
        "add a FlattenLayer before it",
    ),
    ("dropout: rate 1", lambda: Dropout(1.0), ValueError, "rate must be < 1"),
    (
        "output: softmax misspelled",
        lambda: network().add_OutputLayer(3, "softmx"),
        ValueError,
        "output_func='softmx' is not a known activation",
    ),
    ("scheduler: eta = 0", lambda: Adam(eta=0), ValueError, "eta must be > 0.0, got 0.0"),
    (
        "scheduler: momentum > 1",
        lambda: Momentum(0.1, 2.0),
        ValueError,
        "momentum must be <= 1.0, got 2.0",
    ),
    (
        "scheduler: gradient as list",
        lambda: Adam(1e-3).update_change([1.0, 2.0]),
        TypeError,
        "gradient must be a float array",
    ),
    (
        "cost: shapes differ",
        lambda: CostOLS.value(np.ones((3, 2)), np.ones((3, 1))),
        ValueError,
        r"prediction and target must have the same shape, got \(3, 2\) and \(3, 1\)",
    ),
    (
        "cost: list prediction",
        lambda: CostCrossEntropy.gradient([[0.5, 0.5]], np.ones((1, 2))),
        TypeError,
        "prediction must be a float array",
    ),
    (
        "activation: string input",
        lambda: sigmoid("x"),
        TypeError,
        "z must be a numeric array, got a string",
    ),
    (
        "onehot: float labels",
        lambda: onehot([0.5, 1.0]),
        ValueError,
        "1-D array of non-negative integers",
    ),
    (
        "onehot: classes too small",
        lambda: onehot([0, 5], classes=3),
        ValueError,
        "labels go up to 5",
    ),
    (
        "split: val_fraction 1.5",
        lambda: train_val_split(IMAGES, TARGETS, val_fraction=1.5),
        ValueError,
        "val_fraction must be < 1.0",
    ),
    (
        "mnist: folder without files",
        lambda: load_mnist("/nonexistent-folder", download=False),
        ValueError,
        r"MNIST file train-images-idx3-ubyte\(.gz\) not found",
    ),
    (
        "cifar10: folder without files",
        lambda: load_cifar10("/nonexistent-folder", download=False),
        ValueError,
        "cifar-10-binary.tar.gz not found",
    ),
    (
        "load: missing model file",
        lambda: cnnlab.load("/nonexistent.npz"),
        ValueError,
        "does not exist",
    ),
    (
        "imaging: 3-D kernel",
        lambda: convolve2d(np.ones((5, 5)), np.ones((3, 3, 3))),
        ValueError,
        "kernel must be 2-D",
    ),
    (
        "imaging: kernel larger than image (valid)",
        lambda: convolve2d(np.ones((3, 3)), np.ones((4, 4)), "valid"),
        ValueError,
        "kernel 4x4 is larger than the image 3x3",
    ),
    (
        "imaging: NaN image",
        lambda: convolve2d(np.full((4, 4), np.nan), sobel()),
        ValueError,
        "image contains 16 NaN",
    ),
    (
        "imaging: separable method on Laplacian",
        lambda: convolve2d(np.ones((5, 5)), [[0, 1, 0], [1, -4, 1], [0, 1, 0]], method="separable"),
        ValueError,
        "is not separable",
    ),
    (
        "imaging: pad mode 'mirror'",
        lambda: pad(np.ones((4, 4)), (3, 3), mode="mirror"),
        ValueError,
        "mode must be one of",
    ),
    (
        "imaging: gaussian sigma < 0",
        lambda: gaussian(-1.0),
        ValueError,
        "sigma must be > 0.0, got -1.0",
    ),
    ("svd: k = 0", lambda: svd_compress(np.ones((4, 4)), 0), ValueError, "k must be >= 1, got 0"),
    (
        "svd: k > min(m, n)",
        lambda: svd_compress(np.ones((4, 6)), 5),
        ValueError,
        r"k must be between 1 and min\(m, n\) = 4",
    ),
    (
        "image file unreadable",
        lambda: read_image(__file__),
        ValueError,
        "could not read image file",
    ),
    (
        "arithmetic: kernel larger than input",
        lambda: conv_output_size(4, 7),
        ValueError,
        "kernel=7 is larger than the padded input",
    ),
]


def _conv_only(cost=CostCrossEntropy):
    cnn = CNN(cost, seed=0)
    cnn.add_Convolution2DLayer(1, 2)
    return cnn


def _dense_end():
    cnn = _conv_only()
    cnn.add_FlattenLayer()
    cnn.add_FullyConnectedLayer(3)
    return cnn


def _custom_layer_file():
    """A model file with a layer class that is not cnnlab's."""
    import tempfile
    import warnings

    from cnnlab.layers import FlattenLayer

    class MyFlatten(FlattenLayer):
        pass

    cnn = CNN(seed=0)
    cnn.add(MyFlatten())
    cnn.add_OutputLayer(3)
    cnn.build((1, 6, 6))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return cnn.save(Path(tempfile.mkdtemp()) / "custom.npz")


def _model_file(change_description=None, change_arrays=None):
    """A small saved model, its description or arrays changed as a hostile file would."""
    import json
    import tempfile

    cnn = CNN(CostOLS, Adam(1e-3), seed=0)
    cnn.add_FlattenLayer()
    cnn.add_OutputLayer(2)
    cnn.fit(np.ones((4, 3)), np.zeros((4, 2)), epochs=1, verbose=False)
    path = Path(tempfile.mkdtemp()) / "model.npz"
    with np.load(cnn.save(path)) as archive:
        arrays = {name: archive[name] for name in archive.files}
    description = json.loads(arrays["cnnlab.json"].tobytes())
    if change_description is not None:
        description = change_description(description)
    raw = json.dumps(description) if not isinstance(description, str) else description
    arrays["cnnlab.json"] = np.frombuffer(raw.encode(), np.uint8)
    if change_arrays is not None:
        change_arrays(arrays)
    np.savez(path, **arrays)
    return path


def _set(mapping, key, value):
    mapping[key] = value
    return mapping


def _fitted():
    cnn = network()
    cnn.fit(IMAGES, TARGETS, epochs=1, verbose=False)
    return cnn


def test_there_are_at_least_forty_distinct_cases():
    assert len({description for description, *_ in CASES}) == len(CASES) >= 40


@pytest.mark.parametrize(
    "description, call, error, message", CASES, ids=[case[0] for case in CASES]
)
def test_bad_input_gives_a_clear_error(description, call, error, message):
    with pytest.raises(error, match=message):
        call()


#: cases above whose error protects more than a clear message
STAKES = {
    "load: a custom layer that was not handed over": "code (nothing named in a file is run)",
}

#: cases that need files, processes or a memory cap: each is a test elsewhere
FAULTS = [
    ("Ctrl-C in the first epoch of `cnnlab train` over a finished model", "data",
     "test_cli_faults.py::test_ctrl_c_in_the_first_epoch_writes_nothing_over_a_finished_model"),
    ("the same command again without --resume", "data",
     "test_cli_faults.py::test_a_second_run_without_resume_or_overwrite_is_refused"),
    ("fit(checkpoint=DIR) again without resume=True", "data",
     "training/test_checkpoints.py::test_an_existing_checkpoint_is_never_replaced_unasked"),
    ("two runs in one checkpoint folder", "data", "test_cli_faults.py::test_two_runs_on_one_folder"),
    ("a stale lock of a killed run", "data", "test_cli_faults.py::test_a_stale_lock_is_taken_over_with_a_note"),
    ("a resume with other data or settings", "data",
     "training/test_checkpoints.py::test_a_resume_with_other_data_or_settings_says_what_differs"),
    ("a full filesystem", "data",
     "test_cli_faults.py::test_a_full_filesystem_is_one_line_and_leaves_no_partial_file"),
    ("a read-only output folder", "a clear message", "test_cli_faults.py::test_a_read_only_folder_is_one_line"),
    ("a 2 MB model file with a member that inflates to 1 GiB", "memory",
     "io/test_memory_bombs.py::test_an_unused_member_that_inflates_to_a_gigabyte"),
    ("a model weight whose header declares 4 GiB", "memory",
     "io/test_memory_bombs.py::test_a_weight_member_that_declares_four_gigabytes"),
    ("a description declaring a dense layer of 10^11 nodes", "memory",
     "io/test_memory_bombs.py::test_a_description_that_declares_a_dense_layer_of_1e11_nodes"),
    ("a description that inflates to 1 GiB", "memory",
     "io/test_memory_bombs.py::test_a_description_that_inflates_to_a_gigabyte"),
    ("an MNIST .gz that inflates past its header", "memory",
     "io/test_memory_bombs.py::test_an_mnist_file_that_inflates_past_its_header"),
    ("an MNIST header that declares 4.7 GB", "memory",
     "io/test_memory_bombs.py::test_an_mnist_header_that_declares_gigabytes"),
    ("a CIFAR .tar.gz whose member inflates to 1 GiB", "memory",
     "io/test_memory_bombs.py::test_a_cifar_archive_whose_member_inflates_to_a_gigabyte"),
    ("a corrupted deflate stream in an MNIST file", "a clear message",
     "io/test_memory_bombs.py::test_a_corrupted_deflate_stream_is_a_clear_error"),
    ("a 20000 x 20000 PNG, and a 121-megapixel PNG of 15 KB", "memory",
     "imaging/test_image_depths_and_bombs.py::test_a_decompression_bomb_is_refused_before_decoding"),
    ("16-bit PNG, int32 and float TIFF", "data (values)",
     "imaging/test_image_depths_and_bombs.py::test_a_16_bit_png_keeps_its_levels"),
    ("`cnnlab train --eta 1e10`", "data (a failed run is no result)",
     "test_cli_arguments.py::test_a_learning_rate_that_learns_nothing_writes_nothing"),
    ("a grid in which every point diverges", "a clear message",
     "test_cli_arguments.py::test_a_grid_in_which_every_point_diverges"),
    ("an unreachable Dask scheduler", "a clear message",
     "test_cli_arguments.py::test_an_unreachable_dask_scheduler_is_one_line"),
    ("two Ctrl-C in a row", "a clear message",
     "test_cli_faults.py::test_two_ctrl_c_in_a_row_show_no_traceback"),
    ("a failed MNIST download", "a clear message", "test_cli.py::test_a_download_failure_is_one_line"),
    ("an --output that is a file", "a clear message", "test_cli.py::test_an_output_that_is_a_file_is_one_line"),
    ("a checkpoint missing a key", "a clear message",
     "training/test_checkpoints.py::test_a_checkpoint_missing_a_key_is_a_clear_error"),
    ("a finished grid run again", "data", "test_cli_arguments.py::test_a_finished_grid_is_not_replaced_unasked"),
    ("a bad argument to each command", "a clear message",
     "test_cli_arguments.py::test_a_bad_argument_is_one_line"),
]  # fmt: skip


def test_every_fault_case_names_a_real_test():
    from pathlib import Path

    here = Path(__file__).resolve().parent
    for _, _, test in FAULTS:
        path, name = test.split("::")
        assert f"def {name}(" in (here / path).read_text(), test


def markdown_table() -> str:
    lines = ["| # | bad input | at stake | error | message |", "|---|---|---|---|---|"]
    for number, (description, call, _, _) in enumerate(CASES, 1):
        try:
            call()
            outcome, text = "none", ""
        except (ValueError, TypeError) as caught:
            outcome, text = type(caught).__name__, str(caught).replace("|", "\\|")
        stake = STAKES.get(description, "a clear message")
        lines.append(f"| {number} | {description} | {stake} | {outcome} | {text} |")
    lines += ["", "## Faults, data loss and memory", "",
              "Each is a test that needs files, processes or a memory cap (500 MB, "
              "`RLIMIT_AS`) and cannot be one row above.", "",
              "| # | case | at stake | test |", "|---|---|---|---|"]  # fmt: skip
    for number, (case, stake, test) in enumerate(FAULTS, 1):
        lines.append(f"| {number} | {case} | {stake} | `tests/{test}` |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown_table())
