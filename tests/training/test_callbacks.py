import json

import numpy as np
import pytest

import cnnlab
from cnnlab import CNN, RELU, Adam, CostCrossEntropy, softmax
from cnnlab.callbacks import Callback, EarlyStopping, ModelCheckpoint, ReduceLROnPlateau
from cnnlab.datasets import load_digits, onehot
from cnnlab.nn.schedulers import Constant


def overfitting_setup(seed=0):
    """60 training digits, a large dense network and a high rate: it overfits fast."""
    X, y = load_digits()
    X = X.reshape(len(X), -1).astype(np.float64)
    t = onehot(y)
    cnn = CNN(CostCrossEntropy, Adam(1e-2), seed=seed)
    cnn.add_FullyConnectedLayer(128, RELU)
    cnn.add_OutputLayer(10, softmax)
    return cnn, (X[:60], t[:60]), (X[1000:1300], t[1000:1300])


def test_early_stopping_stops_an_overfitting_run_and_restores_the_best_epoch():
    cnn, (X, t), (X_val, t_val) = overfitting_setup()
    stopper = EarlyStopping(patience=4)
    history = cnn.fit(X, t, epochs=200, X_val=X_val, t_val=t_val, verbose=False,
                      callbacks=[stopper])  # fmt: skip
    assert history.stopped_early
    epochs_run = len(history["val_error"])
    assert epochs_run < 200
    best = int(np.argmin(history["val_error"]))
    assert stopper.best_epoch == best == epochs_run - 1 - 4  # four epochs without improvement
    assert history["val_error"][-1] > history["val_error"][best]  # it did overfit
    assert cnn.evaluate(X_val, t_val)["error"] == history["val_error"][best]  # exactly


def test_early_stopping_on_accuracy_waits_for_a_larger_value():
    stopper = EarlyStopping("val_acc", patience=2)
    model = type("Model", (), {"stop_training": False, "layers": []})()
    for epoch, value in enumerate([0.5, 0.6, 0.6, 0.59]):
        stopper.on_epoch_end(epoch, {"val_acc": value}, model)
    assert stopper.best == 0.6 and stopper.best_epoch == 1
    assert model.stop_training


class FakeModel:
    def __init__(self):
        self.optimizers = {(0, "W"): Constant(1.0), (0, "b"): Constant(1.0)}
        self.stop_training = False
        self.layers = []


def test_reduce_lr_on_plateau_lowers_eta_only_after_patience_epochs_without_improvement():
    model = FakeModel()
    reducer = ReduceLROnPlateau(factor=0.5, patience=2, min_eta=0.2)
    etas = []
    for epoch, error in enumerate([1.0, 0.9, 0.9, 0.95, 0.8, 0.85, 0.81, 0.8, 0.9, 0.9, 0.9]):
        reducer.on_epoch_end(epoch, {"val_error": error}, model)
        etas.append(model.optimizers[0, "W"].eta)
    assert etas == [1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.2, 0.2, 0.2]
    assert model.optimizers[0, "b"].eta == 0.2


class InterruptAt(Callback):
    """Ctrl-C at the end of one epoch (never, for the resumed run)."""

    def __init__(self, epoch=None):
        self.epoch = epoch

    def on_epoch_end(self, epoch, logs, model):
        if epoch == self.epoch:
            raise KeyboardInterrupt


def callbacks(interrupt=None):
    return [
        EarlyStopping(patience=6),
        ReduceLROnPlateau(patience=2, factor=0.5),
        InterruptAt(interrupt),
    ]


def test_a_resumed_run_with_callbacks_ends_bit_identical(tmp_path):
    whole, (X, t), (X_val, t_val) = overfitting_setup(seed=5)
    expected = whole.fit(X, t, epochs=60, X_val=X_val, t_val=t_val, verbose=False,
                         callbacks=callbacks())  # fmt: skip
    assert expected.stopped_early  # the stop and the restore happen after the resume
    first, *_ = overfitting_setup(seed=5)
    with pytest.warns(UserWarning, match="training interrupted after 8 of 60 epochs"):
        first.fit(X, t, epochs=60, X_val=X_val, t_val=t_val, verbose=False,
                  callbacks=callbacks(interrupt=7), checkpoint=tmp_path)  # fmt: skip
    resumed, *_ = overfitting_setup(seed=5)
    history = resumed.fit(X, t, epochs=60, X_val=X_val, t_val=t_val, verbose=False,
                          callbacks=callbacks(), checkpoint=tmp_path, resume=True)  # fmt: skip
    assert history.stopped_early
    for key in expected:
        np.testing.assert_array_equal(history[key], expected[key])
    for a, b in zip(whole.layers, resumed.layers, strict=True):
        for key in a.params:
            np.testing.assert_array_equal(b.params[key], a.params[key])
    etas = [opt.eta for opt in whole.optimizers.values()]
    assert [opt.eta for opt in resumed.optimizers.values()] == etas
    assert min(etas) < 1e-2  # the plateau rule did fire


def test_model_checkpoint_keeps_the_best_model(tmp_path):
    cnn, (X, t), (X_val, t_val) = overfitting_setup()
    path = tmp_path / "best.npz"
    history = cnn.fit(X, t, epochs=25, X_val=X_val, t_val=t_val, verbose=False,
                      callbacks=[ModelCheckpoint(path, monitor="val_acc")])  # fmt: skip
    best = cnnlab.load(path)
    assert best.evaluate(X_val, t_val)["acc"] == np.max(history["val_acc"])


def test_history_indexes_like_the_scores_dict_and_exports(tmp_path):
    cnn, (X, t), (X_val, t_val) = overfitting_setup()
    history = cnn.fit(X, t, epochs=3, X_val=X_val, t_val=t_val, verbose=False)
    assert list(history) == ["train_error", "train_acc", "val_error", "val_acc"]
    assert history["val_acc"].shape == (3,)
    assert dict(history).keys() == history.keys()
    np.testing.assert_array_equal(history.epochs, [1, 2, 3])
    rows = history.to_csv(tmp_path / "history.csv").read_text().splitlines()
    assert rows[0] == "epoch,train_error,train_acc,val_error,val_acc"
    assert float(rows[3].split(",")[4]) == history["val_acc"][2]
    assert json.loads(history.to_json(tmp_path / "h.json").read_text()) == history.to_dict()
    figure = history.plot()
    assert [axes.get_ylabel() for axes in figure.axes] == ["cost", "accuracy"]
    assert "History(3 epochs" in repr(history)
    with pytest.raises(KeyError, match="'val_r2' is not a score of this run"):
        history["val_r2"]


@pytest.mark.parametrize(
    "callbacks, error, message",
    [
        ([EarlyStopping("val_accuracy")], ValueError,
         r"monitors 'val_accuracy', which this run does not score; valid names: \['train_error'"),
        (["early"], TypeError, "callbacks must hold cnnlab.callbacks.Callback objects"),
        (EarlyStopping, TypeError, "callbacks must be a list of cnnlab.callbacks.Callback"),
    ],
)  # fmt: skip
def test_bad_callbacks(callbacks, error, message):
    cnn, (X, t), _ = overfitting_setup()
    with pytest.raises(error, match=message):
        cnn.fit(X, t, epochs=1, verbose=False, callbacks=callbacks)


def test_monitoring_validation_scores_needs_validation_data():
    cnn, (X, t), _ = overfitting_setup()
    with pytest.raises(ValueError, match="'val_error', which is NaN: pass X_val and t_val"):
        cnn.fit(X, t, epochs=2, verbose=False, callbacks=[EarlyStopping()])


def test_a_run_that_learns_nothing_is_warned_about():
    from cnnlab.training.loop import NotLearningWarning

    cnn, (X, t), _ = overfitting_setup()
    cnn.scheduler = Constant(1e-9)
    with pytest.warns(NotLearningWarning, match="no better than .* train for more epochs"):
        cnn.fit(X, t, epochs=1, verbose=False)
    cnn, (X, t), _ = overfitting_setup()
    history = cnn.fit(X, t, epochs=20, verbose=False)  # learns: no warning
    assert history["train_error"][-1] < 0.5
