"""The ``cnnlab`` command. ``cnnlab train`` trains the default CNN on digits, offline."""

from __future__ import annotations

import argparse
import signal
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from cnnlab import __version__
from cnnlab._validation import check_int, number_list
from cnnlab.export.commands import add_commands as add_export_commands
from cnnlab.imaging.commands import add_commands as add_imaging_commands
from cnnlab.io.folders import FolderLock, refuse_finished_results, refuse_to_replace
from cnnlab.nn.schedulers import Adam
from cnnlab.studies.commands import add_commands as add_study_commands
from cnnlab.training.callbacks import EarlyStopping
from cnnlab.training.loop import NotLearningWarning
from cnnlab.zoo import MODELS as MODEL_NAMES
from cnnlab.zoo import build_model

#: the conventional exit code of a program stopped by Ctrl-C (128 + SIGINT)
INTERRUPTED = 130

# Per data set: the model and the hyper-parameters that `cnnlab train` uses by default.
RECIPES = {
    "digits": {
        "model": "digits-default",
        "epochs": 30,
        "eta": 3e-3,
        "eta_decay": 1.0,
        "lam": 1e-4,
        "batch_size": 32,
        "shift": 0,
    },
    "mnist": {
        "model": "pytorch-mnist",
        "epochs": 8,
        "eta": 1e-3,
        "eta_decay": 0.7,
        "lam": 0.0,
        "batch_size": 64,
        "shift": 2,
    },
}


def _load(dataset: str, data_home, seed: int):
    """Training, validation and test sets (one-hot targets) of a data set."""
    from cnnlab.datasets import load_digits, load_mnist, onehot, train_val_split

    if dataset == "digits":
        X, y = load_digits()
        X_train, X_test, t_train, t_test = train_val_split(
            X, onehot(y), val_fraction=0.25, seed=seed
        )
        X_fit, X_val, t_fit, t_val = train_val_split(X_train, t_train, val_fraction=0.15, seed=seed)
    else:
        (X_train, y_train), (X_test, y_test) = load_mnist(data_home)
        X_fit, X_val, t_fit, t_val = train_val_split(
            X_train, onehot(y_train, 10), val_fraction=5000 / 60000, seed=seed
        )
        t_test = onehot(y_test, 10)
    return X_fit, t_fit, X_val, t_val, X_test, t_test


def _model(name: str, eta: float, seed: int):
    return build_model(name, scheduler=Adam(eta=eta), seed=seed)


def run_train(arguments: argparse.Namespace) -> int:
    """Train on a data set; print the test accuracy; save the model and curves; the exit code."""
    from cnnlab.datasets import random_shift
    from cnnlab.plotting import plot_training_curves

    recipe: dict[str, Any] = dict(RECIPES[arguments.dataset])  # with argparse's values
    for key in recipe:
        if getattr(arguments, key) is not None:
            recipe[key] = getattr(arguments, key)
    X_fit, t_fit, X_val, t_val, X_test, t_test = _load(
        arguments.dataset, arguments.data_home, arguments.seed
    )
    if arguments.limit is not None:
        check_int(arguments.limit, "--limit")
        X_fit, t_fit = X_fit[: arguments.limit], t_fit[: arguments.limit]
    output = Path(arguments.output)
    model_path = output / "model.npz"
    if model_path.exists() and not (arguments.resume or arguments.overwrite):
        refuse_to_replace(model_path, "the model of a finished run", "pass --resume", "--overwrite")
    cnn = _model(recipe["model"], recipe["eta"], arguments.seed)
    callbacks = []
    if arguments.early_stopping is not None:
        callbacks.append(EarlyStopping("val_error", patience=arguments.early_stopping))
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", NotLearningWarning)
        scores = cnn.fit(
        X_fit, t_fit, epochs=recipe["epochs"], lam=recipe["lam"], X_val=X_val, t_val=t_val,
        batch_size=recipe["batch_size"], verbose=not arguments.quiet,
        eta_decay=recipe["eta_decay"], checkpoint=output / "checkpoint",
        resume=arguments.resume, augment=random_shift(recipe["shift"]) if recipe["shift"] else None,
        n_jobs=arguments.jobs, callbacks=callbacks, overwrite=arguments.overwrite,
        )  # fmt: skip
    seconds = time.perf_counter() - start
    for warning in caught:
        if issubclass(warning.category, NotLearningWarning):  # a failed run is no result
            raise FloatingPointError(f"{warning.message}; nothing written to {output}")
        warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    if scores.interrupted:  # nothing of this run goes over a finished one
        print(
            f"cnnlab train: interrupted after {len(scores['train_error'])} epochs; nothing "
            f"written over {model_path}; continue with --resume from {output / 'checkpoint'}",
            file=sys.stderr,
        )
        return INTERRUPTED
    cnn.summary(show=not arguments.quiet)
    test = cnn.evaluate(X_test, t_test)
    figure_path = output / "training_curves.png"
    plot_training_curves(
        scores, figure_path, title=f"cnnlab {recipe['model']} on {arguments.dataset}"
    )
    scores.to_csv(output / "history.csv")
    scores.to_json(output / "history.json")
    epochs_run = len(scores["train_error"])
    print(
        f"{arguments.dataset}, model {recipe['model']}: {len(X_fit)} train / {len(X_val)} "
        f"validation / {len(X_test)} test images, {epochs_run} epochs in {seconds:.1f} s "
        f"({seconds / max(epochs_run, 1):.2g} s per epoch)"
    )
    if scores.stopped_early:
        print(f"early stopping after {epochs_run} epochs; weights of the best epoch restored")
    print(f"test accuracy: {test['acc']:.4f}  test cost: {test['error']:.4f}")
    model_path = cnn.save(model_path)
    print(f"curves written to {figure_path} and {output / 'history.csv'}, model to {model_path}")
    return 0


_float_list = number_list(float)


def run_grid(arguments: argparse.Namespace) -> dict:
    """The notes' eta x lambda grid on digits: results.csv and two heatmaps."""
    output = Path(arguments.output)
    if (output / "results.csv").exists() and not arguments.overwrite:
        refuse_finished_results(output / "results.csv", "a finished grid")
    with FolderLock(output):
        return _grid(arguments)


def _grid(arguments: argparse.Namespace) -> dict:
    from cnnlab.search import grid_search, write_results

    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        results = grid_search(
            arguments.etas, arguments.lams, epochs=arguments.epochs,
            batch_size=arguments.batch_size, scheduler=arguments.scheduler, seed=arguments.seed,
            n_jobs=arguments.n_jobs, dask_scheduler=arguments.dask_scheduler,
            dask_local=arguments.dask_local, progress=not arguments.quiet,
        )  # fmt: skip
    seconds = time.perf_counter() - start
    for warning in caught:
        print(f"warning: {warning.message}", file=sys.stderr)
    if np.isnan(results["test_acc"]).all():
        raise FloatingPointError(
            f"every grid point diverged (NaN accuracy); try smaller etas than "
            f"{min(results['etas']):g}; nothing written to {arguments.output}"
        )
    paths = write_results(results, arguments.output)
    best = np.unravel_index(np.nanargmax(results["test_acc"]), results["test_acc"].shape)
    print(
        f"{results['test_acc'].size} grid points, {arguments.epochs} epochs each, in {seconds:.1f} s; "
        f"best test accuracy {results['test_acc'][best]:.4f} at eta={results['etas'][best[0]]:g}, "
        f"lam={results['lams'][best[1]]:g}"
    )
    print("written " + ", ".join(str(path) for path in paths))
    return results


def build_parser() -> argparse.ArgumentParser:
    """The ``cnnlab`` command's parser, with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="cnnlab", description="Convolutional neural networks from scratch in NumPy."
    )
    parser.add_argument("--version", action="version", version=f"cnnlab {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    train = commands.add_parser(
        "train",
        help="train a CNN (default: scikit-learn's digits, offline)",
        description="Train a CNN. Defaults per data set: "
        + "; ".join(
            f"{name}: model {r['model']}, {r['epochs']} epochs, eta {r['eta']:g} (x{r['eta_decay']:g} "
            f"per epoch), lam {r['lam']:g}, batch {r['batch_size']}, shifts up to {r['shift']} px"
            for name, r in RECIPES.items()
        ),
    )
    train.add_argument(
        "--dataset", choices=sorted(RECIPES), default="digits", help="default digits"
    )
    train.add_argument("--model", choices=sorted(MODEL_NAMES), help="architecture (see above)")
    train.add_argument("--data-home", help="folder with the data files (or set CNNLAB_DATA)")
    train.add_argument("--epochs", type=int, help="training epochs")
    train.add_argument("--eta", type=float, help="Adam learning rate")
    train.add_argument("--eta-decay", type=float, help="learning-rate factor after each epoch")
    train.add_argument("--lam", type=float, help="L2 penalty")
    train.add_argument("--batch-size", type=int, help="mini-batch size")
    train.add_argument("--shift", type=int, help="augment: random shifts of up to N pixels")
    train.add_argument("--seed", type=int, default=2023, help="random seed (default 2023)")
    train.add_argument("--limit", type=int, help="train on the first N training images only")
    train.add_argument(
        "--jobs",
        type=int,
        help="threads that share each batch (default: as many as BLAS may use; -1: every core)",
    )
    train.add_argument(
        "--resume",
        action="store_true",
        help="continue from OUTPUT/checkpoint (written after every epoch) after an interruption",
    )
    train.add_argument(
        "--output", default="cnnlab_output", help="folder for the figures (default cnnlab_output)"
    )
    train.add_argument(
        "--overwrite",
        action="store_true",
        help="start again over the model and checkpoint of an earlier run in OUTPUT",
    )
    train.add_argument(
        "--early-stopping",
        type=int,
        metavar="PATIENCE",
        help="stop after PATIENCE epochs without a better validation cost; keep the best weights",
    )
    train.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    train.set_defaults(handler=run_train)
    grid = commands.add_parser(
        "grid",
        help="the notes' eta x lambda grid search on digits (local, or on a Dask cluster)",
    )
    grid.add_argument("--etas", type=_float_list, default=list(np.logspace(-5, 1, 7)))
    grid.add_argument("--lams", type=_float_list, default=list(np.logspace(-5, 1, 7)))
    grid.add_argument("--epochs", type=int, default=100, help="per grid point (default 100)")
    grid.add_argument("--batch-size", type=int, default=100, help="default 100")
    grid.add_argument("--scheduler", default="Constant", help="optimizer (default Constant: SGD)")
    grid.add_argument("--seed", type=int, default=0)
    grid.add_argument("--n-jobs", type=int, help="local worker processes (default: all cores)")
    grid.add_argument("--dask-scheduler", metavar="ADDRESS", help="run on this Dask scheduler")
    grid.add_argument("--dask-local", type=int, metavar="N", help="start a Dask LocalCluster")
    grid.add_argument("--output", default="grid_output", help="folder (default grid_output)")
    grid.add_argument("--quiet", action="store_true", help="no progress bar")
    grid.add_argument("--overwrite", action="store_true", help="replace a finished grid's results")
    grid.set_defaults(handler=run_grid)
    add_imaging_commands(commands)
    add_study_commands(commands)
    add_export_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the ``cnnlab`` command; returns the exit code (errors are one line on stderr)."""
    parser = build_parser()
    arguments = parser.parse_args(argv)
    try:
        code = arguments.handler(arguments)
    except KeyboardInterrupt:
        _ignore_further_interrupts(argv)
        print(f"cnnlab {arguments.command}: interrupted", file=sys.stderr)
        return INTERRUPTED
    except (ValueError, TypeError, FloatingPointError) as error:
        print(f"cnnlab {arguments.command}: error: {error}", file=sys.stderr)
        return 2
    except OSError as error:  # a failed download, a full disk, a folder that is a file
        print(f"cnnlab {arguments.command}: error: {_os_message(error)}", file=sys.stderr)
        return 1
    if code == INTERRUPTED:
        _ignore_further_interrupts(argv)
    return code if isinstance(code, int) else 0


def _ignore_further_interrupts(argv) -> None:
    """After a Ctrl-C, a second one while the program exits would print a traceback."""
    if argv is None:  # the program itself, not a call from Python (a test, a notebook)
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _os_message(error: OSError) -> str:
    """One line for a file or network error, with what to try."""
    where = f" ({error.filename})" if getattr(error, "filename", None) else ""
    text = f"{error.strerror or error}{where}"
    if "download" in str(error).lower():
        return f"{text}; check the network, or put the files in a folder given by --data-home or CNNLAB_DATA"
    if isinstance(error, ConnectionError | TimeoutError) or "connect" in str(error).lower():
        return f"{text}; check the address, and that the server runs and can be reached from here"
    return f"{text}; check the path and that there is space and permission to write"


if __name__ == "__main__":
    sys.exit(main())
