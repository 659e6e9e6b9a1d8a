"""CNN: build a network layer by layer, train it, predict with it.

``fit`` runs the training loop of ``cnnlab.training``: forward through the
layers, the cost gradient, backward through the layers, then one optimizer
step per parameter array (``cnnlab.training.step``). Layers are built lazily, at the first ``fit`` or ``predict``, from the
shape of the data; every shape problem is reported then, with its numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from cnnlab._validation import check_int
from cnnlab.io.archive import save_model
from cnnlab.layers import Layer
from cnnlab.model.adding import LayerAdding
from cnnlab.model.checks import check_layer_order, float_dtype, output_format, prepare_data
from cnnlab.model.summary import summary_html, summary_table
from cnnlab.model.using import Predicting
from cnnlab.nn.costs import Cost, CostCrossEntropy, get_cost
from cnnlab.nn.schedulers import Adam, Scheduler
from cnnlab.training import step
from cnnlab.training.history import History
from cnnlab.training.loop import train


class CNN(LayerAdding, Predicting):
    """A convolutional neural network built with the ``add_*`` methods of the notes.

    Parameters
    ----------
    cost_func : Cost
        ``CostCrossEntropy`` (multi-class), ``CostLogReg`` (binary) or ``CostOLS``.
    scheduler : Scheduler
        The optimizer; each parameter array gets its own fresh copy.
    seed : int, optional
        Seeds weights, shuffling and dropout through one numpy Generator.
    dtype : numpy dtype, optional
        Keyword-only. Float type of weights and computations. By default it
        follows the first data passed to ``fit`` (float32 for integer data).

    Attributes
    ----------
    layers : list of Layer
        The layers, in order.
    """

    def __init__(
        self,
        cost_func: Cost = CostCrossEntropy,
        scheduler: Scheduler = Adam(eta=1e-4, rho=0.9, rho2=0.999),  # noqa: B008 - the notes'
        seed: int | None = None,
        *,
        dtype: DTypeLike | None = None,
    ) -> None:
        self.cost_func = get_cost(cost_func)
        if not isinstance(scheduler, Scheduler):
            raise TypeError(
                f"scheduler must be a cnnlab scheduler such as Adam(eta=1e-3), got {scheduler!r}"
            )
        self.scheduler = scheduler
        if seed is not None:
            check_int(seed, "seed", minimum=0)
        self.seed = seed
        self.dtype = None if dtype is None else float_dtype(dtype)
        self.layers: list[Layer] = []
        self.rng = np.random.default_rng(seed)
        self.input_shape: tuple[int, ...] | None = None
        self.optimizers: dict[tuple[int, str], Scheduler] = {}
        #: set by a callback to end ``fit`` after the current epoch (Keras's name)
        self.stop_training = False

    # ----------------------------------------------------------------- building
    def add(self, layer: Layer) -> CNN:
        """Append any layer object (Keras style); returns the model for chaining."""
        if not isinstance(layer, Layer):
            raise TypeError(f"add() takes a cnnlab layer, got {layer!r}")
        check_layer_order(self.layers, layer)
        self.layers.append(layer)
        self.input_shape = None  # the network changed: build again
        return self

    def build(self, input_shape: tuple[int, ...], dtype: DTypeLike | None = None) -> CNN:
        """Build every layer for samples of ``input_shape`` (no batch axis)."""
        if not self.layers:
            raise ValueError("the CNN has no layers; add some with add_Convolution2DLayer(...)")
        self.dtype = float_dtype(dtype or self.dtype or np.float32)
        shape = tuple(int(n) for n in input_shape)
        for index, layer in enumerate(self.layers):
            try:
                shape = layer.build(shape, self.rng, self.dtype)
            except ValueError as error:
                raise ValueError(f"layer {index} ({type(layer).__name__}): {error}") from None
        self.input_shape = tuple(int(n) for n in input_shape)
        for index, layer in enumerate(self.layers):
            layer.compute_input_gradient = index > 0  # nobody needs dCost/dData
        self.optimizers = {
            (index, key): (layer.scheduler or self.scheduler).fresh()
            for index, layer in enumerate(self.layers)
            for key in layer.params
        }
        return self

    @property
    def pred_format(self) -> str:
        """What the network puts out, which sets its targets, predictions and scores.

        "Multi-class" (softmax OutputLayer), "Binary" (sigmoid), "Regression"
        (identity), or "Image" for a network that ends in images or signals (a
        convolution, transposed convolution, upsampling or reshape layer).
        """
        return output_format(self.layers)

    # ----------------------------------------------------------------- passes
    def forward(self, X: np.ndarray, training: bool = False) -> np.ndarray:
        """Run a batch through every layer; returns the output layer's activations."""
        return step.forward(self.layers, X, training)

    def backward(self, output: np.ndarray, target: np.ndarray) -> None:
        """Fill every layer's ``grads`` for the cost of ``output`` against ``target``.

        The update is the training step's (``cnnlab.training.step``), not the model's.
        """
        self.pred_format  # noqa: B018 - says so if the network has no output
        step.backward(self.layers, self.cost_func, output, target)

    # ----------------------------------------------------------------- training
    def fit(
        self,
        X: np.ndarray,
        t: np.ndarray,
        epochs: int = 100,
        lam: float = 0,
        batches: int = 1,
        X_val: np.ndarray | None = None,
        t_val: np.ndarray | None = None,
        *,
        batch_size: int | None = None,
        shuffle: bool = True,
        verbose: bool = True,
        eta_decay: float = 1.0,
        checkpoint: str | Path | None = None,
        checkpoint_every: int = 1,
        resume: bool = False,
        augment: Callable[[np.ndarray, np.random.Generator], np.ndarray] | None = None,
        n_jobs: int | None = None,
        callbacks: list | None = None,
        overwrite: bool = False,
    ) -> History:
        """Train with mini-batch gradient descent.

        Parameters
        ----------
        X : ndarray, shape (N, C, H, W), or (N, features) for dense-only networks
        t : ndarray, shape (N, K), or ``(N, *output_shape)`` for image outputs
            One-hot rows for a softmax output.
        epochs : int
        lam : float
            L2 penalty; adds ``lam * W`` to every weight gradient (not biases).
        batches : int
            Number of mini-batches per epoch (the notes' way to set the size).
        X_val, t_val : ndarray, optional
            Validation data, scored after every epoch.
        batch_size : int, optional
            Keyword-only; overrides ``batches``.
        shuffle : bool
            Reshuffle the training data every epoch.
        verbose : bool
            Show a tqdm progress bar with the scores.
        eta_decay : float
            Keyword-only. Multiply every learning rate by this after each epoch
            (1 keeps it constant; 0.7 is a common step decay).
        checkpoint : str or Path, optional
            Keyword-only. A folder where the whole training state is saved
            (atomically) every ``checkpoint_every`` epochs.
        resume : bool
            Keyword-only. Continue from the checkpoint in ``checkpoint``, if
            there is one: ``epochs`` counts the epochs already done. It must
            have been written with the same network, data and settings.
        overwrite : bool
            Keyword-only. Start again over an existing checkpoint. Without
            ``resume`` or ``overwrite`` an existing checkpoint is refused:
            finished work is never replaced unasked. The folder is locked
            while the run uses it.
        augment : callable, optional
            Keyword-only. ``augment(X_batch, rng)`` returns a changed copy of
            each training batch (e.g. ``cnnlab.datasets.random_shift(2)``); it
            draws from the model's generator, so runs stay reproducible.
        n_jobs : int, optional
            Keyword-only. Threads that share each batch (see ``cnnlab.training.threads``):
            each takes a slice of the batch through its own replica of the
            layers. None uses as many as BLAS may use (every core, or 1 inside
            ``threadpool_limits(1)`` as in a grid search); -1 every core. The
            result is the same as with one thread up to float rounding.
            Batches of under 32 samples use one thread.
        callbacks : list of Callback, optional
            Keyword-only. Run after every epoch (``cnnlab.callbacks``:
            EarlyStopping, ModelCheckpoint, ReduceLROnPlateau, or your own).
            What they remember is saved in the checkpoints.

        Returns
        -------
        History
            A read-only mapping, indexed like a dict of arrays:
            "train_error", "train_acc", "val_error", "val_acc", one entry per
            completed epoch (NaN where there is nothing to score); "r2" and
            "mae" replace "acc" for regression, "psnr" and "mse" for image
            outputs (``cnnlab.nn.metrics``). The train
            scores are running averages over the epoch's batches, as in Keras.
            Ctrl-C stops training and returns the epochs completed so far.
            ``.plot()`` draws the curves, ``.to_csv(path)`` and
            ``.to_dict()`` export them.
        """
        return train(
            self, X, t, epochs, lam, batches, X_val, t_val,
            batch_size=batch_size, shuffle=shuffle, verbose=verbose, eta_decay=eta_decay,
            checkpoint=checkpoint, checkpoint_every=checkpoint_every, resume=resume,
            augment=augment, n_jobs=n_jobs, callbacks=callbacks, overwrite=overwrite,
        )  # fmt: skip

    def prepare(
        self, X: ArrayLike, t: ArrayLike | None = None, names: tuple[str, str] = ("X", "t")
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """Validate data against the network, build it if needed; return arrays."""
        return prepare_data(self, X, t, names)

    def save(self, path: str | Path) -> Path:
        """Save architecture, weights and optimizer state to one ``.npz`` file.

        Read it back with ``cnnlab.load(path)``; nothing is pickled. Returns the
        path written (".npz" is added when missing).
        """
        return save_model(self, path)

    def summary(
        self, input_shape: tuple[int, ...] | None = None, *, show: bool = True
    ) -> str | None:
        """A Keras-like table of layers, output shapes and parameter counts.

        The network must be built; pass ``input_shape`` (e.g. ``(1, 28, 28)``)
        to build it first. With ``show=True`` (the default) the table is
        printed and None is returned, as in Keras, so it appears once in a
        notebook cell as in a terminal; ``show=False`` returns the text
        instead. In Jupyter, a CNN as a cell's result shows the same table in
        HTML.
        """
        if input_shape is not None:
            self.build(input_shape)
        if self.input_shape is None:
            raise ValueError(
                "summary() needs the input shape: call fit first or summary(input_shape=(C, H, W))"
            )
        text = summary_table(self.input_shape, self.layers)
        if not show:
            return text
        print(text)
        return None

    def __repr__(self) -> str:
        built = f"built for {self.input_shape}" if self.input_shape else "not built"
        parameters = sum(layer.parameter_count() for layer in self.layers)
        return (
            f"<CNN: {len(self.layers)} layers, {parameters:,} parameters, {built}; "
            f"{self.cost_func}, {self.scheduler!r}>"
        )

    def _repr_html_(self) -> str:
        """The layer table for Jupyter."""
        return summary_html(self.input_shape, self.layers, repr(self))
