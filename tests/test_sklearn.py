import warnings

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import check_estimator

from cnnlab.sklearn import CNNClassifier, CNNRegressor


@pytest.mark.parametrize(
    "estimator", [CNNClassifier(), CNNRegressor()], ids=["classifier", "regressor"]
)
def test_check_estimator_passes(estimator):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = check_estimator(estimator, on_fail=None)
    failed = [
        (r["check_name"], str(r["exception"])[:200]) for r in results if r["status"] == "failed"
    ]
    assert failed == []
    assert len(results) > 40


def test_flat_digits_become_images_and_learn():
    digits = load_digits()
    X, y = digits.data / 16, digits.target
    classifier = CNNClassifier(epochs=15, eta=3e-3, random_state=0).fit(X[:1200], y[:1200])
    assert classifier.model_.input_shape == (1, 8, 8)
    assert classifier.n_features_in_ == 64
    assert classifier.score(X[1200:], y[1200:]) > 0.9
    assert set(classifier.history_) == {"train_error", "train_acc", "val_error", "val_acc"}
    probabilities = classifier.predict_proba(X[:5])
    np.testing.assert_allclose(probabilities.sum(axis=1), 1)
    assert list(classifier.classes_) == list(range(10))


def test_string_labels_image_input_and_named_architecture():
    digits = load_digits()
    images = digits.images[:300, None] / 16
    labels = np.where(digits.target[:300] % 2, "odd", "even")
    classifier = CNNClassifier("keras-digits", epochs=5, random_state=0).fit(images, labels)
    assert set(classifier.predict(images[:20])) <= {"odd", "even"}
    assert classifier.model_.layers[-1].nodes == 2


def test_spec_list_architecture_and_image_shape():
    rng = np.random.default_rng(0)
    X = rng.random((60, 3 * 6 * 5))
    y = rng.integers(0, 3, 60)
    specs = [
        ("conv", {"input_channels": 3, "feature_maps": 4}),
        ("pool", {}),
        ("flatten", {}),
        ("dense", {"nodes": 8}),
    ]
    classifier = CNNClassifier(specs, image_shape=(3, 6, 5), epochs=2, random_state=0).fit(X, y)
    assert classifier.model_.input_shape == (3, 6, 5)
    with pytest.raises(ValueError, match="architecture entries must be"):
        CNNClassifier([("resnet", {})]).fit(X, y)
    with pytest.raises(ValueError, match=r"image_shape=\(4, 4\) does not hold 90 features"):
        CNNClassifier(image_shape=(4, 4)).fit(X, y)


def test_regressor_multi_output():
    rng = np.random.default_rng(1)
    X = rng.uniform(-1, 1, (200, 3))
    y = np.column_stack([X @ [1.0, -2.0, 0.5], X[:, 0] * 2])
    regressor = CNNRegressor(epochs=80, eta=1e-2, random_state=0).fit(X, y)
    assert regressor.predict(X).shape == (200, 2)
    assert regressor.score(X, y) > 0.95


def test_grid_search_and_pipeline():
    digits = load_digits()
    X, y = digits.data[:400], digits.target[:400]
    pipeline = make_pipeline(StandardScaler(), CNNClassifier(epochs=10, eta=3e-3, random_state=0))
    assert cross_val_score(pipeline, X, y, cv=2).mean() > 0.5
    search = GridSearchCV(CNNClassifier(epochs=3, random_state=0), {"eta": [1e-3, 1e-2]}, cv=2)
    search.fit(X / 16, y)
    assert search.best_params_["eta"] in (1e-3, 1e-2)
