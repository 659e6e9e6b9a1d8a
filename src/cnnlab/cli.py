"""The ``cnnlab`` command. ``cnnlab train`` trains the default CNN on digits, offline."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from cnnlab.imaging.commands import add_commands as add_imaging_commands


def default_digits_model(eta: float, seed: int):
    """A small CNN for 8x8 digits: conv 16@3x3, max-pool 2, dense 64, softmax 10."""
    from cnnlab import CNN, RELU, Adam, CostCrossEntropy, softmax

    cnn = CNN(cost_func=CostCrossEntropy, scheduler=Adam(eta=eta), seed=seed)
    cnn.add_Convolution2DLayer(1, 16, 3, 3, act_func=RELU)
    cnn.add_PoolingLayer(2, 2, pooling="max")
    cnn.add_FlattenLayer()
    cnn.add_FullyConnectedLayer(64, RELU)
    cnn.add_OutputLayer(10, softmax)
    return cnn


def run_train(arguments: argparse.Namespace) -> dict:
    """Train on digits; print the test accuracy; save the curves. Returns the results."""
    from cnnlab.datasets import load_digits, onehot, train_val_split
    from cnnlab.plotting import plot_training_curves

    X, y = load_digits()
    X_train, X_test, t_train, t_test = train_val_split(
        X, onehot(y), val_fraction=0.25, seed=arguments.seed
    )
    X_fit, X_val, t_fit, t_val = train_val_split(
        X_train, t_train, val_fraction=0.15, seed=arguments.seed
    )
    cnn = default_digits_model(arguments.eta, arguments.seed)
    start = time.perf_counter()
    scores = cnn.fit(
        X_fit, t_fit, epochs=arguments.epochs, lam=arguments.lam, X_val=X_val, t_val=t_val,
        batch_size=arguments.batch_size, verbose=not arguments.quiet,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    cnn.summary(show=not arguments.quiet)
    test = cnn.evaluate(X_test, t_test)
    output = Path(arguments.output)
    figure_path = output / "training_curves.png"
    plot_training_curves(scores, figure_path, title="cnnlab on digits")
    print(
        f"digits: {len(X_fit)} train / {len(X_val)} validation / {len(X_test)} test images, "
        f"{len(scores['train_error'])} epochs in {seconds:.1f} s"
    )
    print(f"test accuracy: {test['acc']:.4f}  test cost: {test['error']:.4f}")
    print(f"curves written to {figure_path}")
    return {"test_acc": test["acc"], "scores": scores, "seconds": seconds}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cnnlab", description="Convolutional neural networks from scratch in NumPy."
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    train = commands.add_parser(
        "train", help="train the default CNN on scikit-learn's digits (offline)"
    )
    train.add_argument("--epochs", type=int, default=30, help="training epochs (default 30)")
    train.add_argument("--eta", type=float, default=3e-3, help="Adam learning rate (default 3e-3)")
    train.add_argument("--lam", type=float, default=1e-4, help="L2 penalty (default 1e-4)")
    train.add_argument("--batch-size", type=int, default=32, help="mini-batch size (default 32)")
    train.add_argument("--seed", type=int, default=2023, help="random seed (default 2023)")
    train.add_argument(
        "--output", default="cnnlab_output", help="folder for the figures (default cnnlab_output)"
    )
    train.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    train.set_defaults(handler=run_train)
    add_imaging_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    arguments = parser.parse_args(argv)
    try:
        arguments.handler(arguments)
    except (ValueError, TypeError, FloatingPointError) as error:
        print(f"cnnlab {arguments.command}: error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
