"""scikit-learn estimators around ``CNN``: ``CNNClassifier`` and ``CNNRegressor``.

They follow scikit-learn's rules: ``__init__`` only stores its arguments, fitted
attributes end in ``_`` (``model_``, ``history_``, ``classes_``), and both pass
``sklearn.utils.estimator_checks.check_estimator``. So they work in
``Pipeline``, ``GridSearchCV``, ``cross_val_score`` and with joblib or Dask.

Input is flat ``(n, features)`` or images ``(n, channels, height, width)``.
Flat input is reshaped to images when ``image_shape`` is given, or when the
number of features is a square of at least 16 (8x8 digits, 28x28 MNIST).

Checks skipped: none by cnnlab. (scikit-learn itself skips
``check_array_api_input`` unless the environment sets ``SCIPY_ARRAY_API``.)
Computations run in float64 so that predictions do not depend on how the
samples are batched, which scikit-learn checks.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.preprocessing import LabelEncoder
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data

from cnnlab.layers import OutputLayer
from cnnlab.model import CNN
from cnnlab.nn.activations import identity, softmax
from cnnlab.nn.costs import CostCrossEntropy, CostOLS
from cnnlab.nn.schedulers import make_scheduler
from cnnlab.zoo import MODELS, estimator_layers

if TYPE_CHECKING:
    from sklearn.utils import Tags


class _CNNEstimator(BaseEstimator):
    def __init__(
        self,
        architecture: str | list[tuple[str, dict]] = "auto",
        scheduler: str = "Adam",
        eta: float = 1e-3,
        lam: float = 0.0,
        epochs: int = 30,
        batch_size: int = 32,
        image_shape: tuple[int, ...] | None = None,
        random_state: int | np.random.RandomState | None = None,
        verbose: bool = False,
    ) -> None:
        self.architecture = architecture
        self.scheduler = scheduler
        self.eta = eta
        self.lam = lam
        self.epochs = epochs
        self.batch_size = batch_size
        self.image_shape = image_shape
        self.random_state = random_state
        self.verbose = verbose

    # ------------------------------------------------------------- data shape
    def _images(self, X):
        """Flat (n, features) or image (n, c, h, w) input, as the network wants it."""
        if X.ndim == 4:
            return X
        if self.image_shape is not None:
            shape = tuple(self.image_shape)
            if math.prod(shape) != X.shape[1]:
                raise ValueError(f"image_shape={shape} does not hold {X.shape[1]} features")
            return X.reshape(len(X), *((1, *shape) if len(shape) == 2 else shape))
        side = math.isqrt(X.shape[1])
        if side * side == X.shape[1] and side >= 4:
            return X.reshape(len(X), 1, side, side)
        return X

    def _check_ndim(self, X):
        if X.ndim not in (2, 4):
            raise ValueError(
                f"X must be flat (n, features) or images (n, channels, height, width), got "
                f"shape {X.shape}"
            )
        return self._images(X)

    def _validate_fit(self, X, y):
        X, y = validate_data(self, X, y, dtype=np.float64, multi_output=True, allow_nd=True)
        return self._check_ndim(X), y

    def _validate_predict(self, X):
        X = validate_data(self, X, reset=False, dtype=np.float64, allow_nd=True)
        return self._check_ndim(X)

    def _network(self, X, outputs: int, output_function, cost):
        scheduler = make_scheduler(self.scheduler, self.eta)
        seed = self.random_state
        if isinstance(seed, np.random.RandomState):
            seed = int(seed.randint(2**31))
        if isinstance(self.architecture, str) and self.architecture in MODELS:
            model = MODELS[self.architecture](
                input_channels=X.shape[1] if X.ndim == 4 else 1, classes=outputs,
                scheduler=scheduler, seed=seed,
            )  # fmt: skip
            model.cost_func = cost
            output = model.layers[-1]
            assert isinstance(output, OutputLayer)  # every zoo model ends in one
            output.act_func = output_function
            return model
        model = CNN(cost, scheduler, seed, dtype=np.float64)
        for layer in estimator_layers(self.architecture, X.ndim == 4, X.shape[1]):
            model.add(layer)
        model.add_OutputLayer(outputs, output_function)
        return model

    def _train(self, X, targets, outputs, output_function, cost):
        self.model_ = self._network(X, outputs, output_function, cost)
        self.model_.dtype = np.dtype(np.float64)
        batch_size = min(int(self.batch_size), len(X))
        self.history_ = self.model_.fit(
            X, targets, epochs=self.epochs, lam=self.lam, batch_size=batch_size,
            verbose=self.verbose,
        )  # fmt: skip
        return self

    def _output(self, X):
        check_is_fitted(self, "model_")
        return self.model_.predict_proba(self._validate_predict(X))


class CNNClassifier(ClassifierMixin, _CNNEstimator):
    """A CNN classifier with scikit-learn's API.

    Parameters
    ----------
    architecture : "auto", a name in ``cnnlab.zoo.MODELS``, or a list of specs
        "auto" is a small conv net for images and a 50-unit MLP for flat data.
        A spec is ``(kind, options)`` with kind "conv", "pool", "flatten",
        "dense" or "dropout", e.g. ``[("conv", {"feature_maps": 8}), ("pool", {}),
        ("flatten", {}), ("dense", {"nodes": 32})]``; the softmax output layer is
        added for you.
    scheduler : str
        Optimizer name: "Constant", "Momentum", "Adagrad", "AdagradMomentum",
        "RMS_prop" or "Adam".
    eta, lam, epochs, batch_size : training settings, as in ``CNN.fit``.
    image_shape : tuple, optional
        ``(height, width)`` or ``(channels, height, width)`` of flat input rows.
    random_state : int, optional
    verbose : bool

    Attributes
    ----------
    classes_ : ndarray
    model_ : CNN
    history_ : dict of ndarray
    n_features_in_ : int
    """

    def fit(self, X: ArrayLike, y: ArrayLike) -> CNNClassifier:
        """Train on ``X`` (n, features) or images (n, C, H, W) and class labels ``y`` (n,).

        Returns the fitted estimator; ``history_`` holds the scores per epoch.
        """
        X, y = self._validate_fit(X, y)
        y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        self._encoder = LabelEncoder().fit(y)
        self.classes_ = self._encoder.classes_
        codes = self._encoder.transform(y)
        targets = np.eye(len(self.classes_))[codes]
        return self._train(X, targets, len(self.classes_), softmax, CostCrossEntropy)

    def predict_proba(self, X: ArrayLike) -> np.ndarray:
        """Class probabilities, shape (n, n_classes), columns in ``classes_`` order."""
        return self._output(X)

    def predict(self, X: ArrayLike) -> np.ndarray:
        """The most probable class of each sample, shape (n,), from ``classes_``."""
        probabilities = self.predict_proba(X)
        return self.classes_[np.argmax(probabilities, axis=1)]


class CNNRegressor(RegressorMixin, _CNNEstimator):
    """A CNN regressor (identity output, mean squared error) with scikit-learn's API.

    Same parameters as :class:`CNNClassifier`. ``y`` may be (n,) or (n, outputs).
    """

    def fit(self, X: ArrayLike, y: ArrayLike) -> CNNRegressor:
        """Train on ``X`` (n, features) or images (n, C, H, W) and targets ``y`` (n,) or (n, k).

        Returns the fitted estimator; ``history_`` holds the scores per epoch.
        """
        X, y = self._validate_fit(X, y)
        y = np.asarray(y, dtype=np.float64)
        self._one_output = y.ndim == 1
        targets = y[:, None] if self._one_output else y
        return self._train(X, targets, targets.shape[1], identity, CostOLS)

    def predict(self, X: ArrayLike) -> np.ndarray:
        """The predicted values, shape (n,) or (n, k) as ``y`` was in ``fit``."""
        output = self._output(X)
        return output[:, 0] if self._one_output else output

    def __sklearn_tags__(self) -> Tags:
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.regressor_tags.poor_score = True
        return tags
