"""The notes' PyTorch MNIST model rebuilt in cnnlab, and trained in PyTorch too when it is installed
=================================================================================================
"""

import time

import numpy as np
from _common import mnist_or_exit, parse

from cnnlab.datasets import onehot
from cnnlab.plotting import plot_training_curves
from cnnlab.zoo import pytorch_mnist

arguments = parse(__doc__)
(X_train, y_train), (X_test, y_test) = mnist_or_exit(arguments.quick)
count = 2000 if arguments.quick else len(X_train)
epochs = 1 if arguments.quick else 3
X, y = X_train[:count], y_train[:count]

cnn = pytorch_mnist(seed=0)
start = time.perf_counter()
scores = cnn.fit(X, onehot(y, 10), epochs=epochs, batch_size=64, verbose=not arguments.quick)
cnnlab_seconds = (time.perf_counter() - start) / epochs
cnnlab_accuracy = cnn.evaluate(X_test, onehot(y_test, 10))["acc"]
cnn.summary()
plot_training_curves(
    scores, arguments.output / "cnnlab_curves.png", title="pytorch-mnist in cnnlab"
)
rows = [("cnnlab", cnnlab_accuracy, cnnlab_seconds)]

try:
    import torch
except ImportError:
    print("PyTorch is not installed: pip install torch==2.13.0 to compare")
else:
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 32, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(32, 64, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(3136, 1024), torch.nn.ReLU(), torch.nn.Dropout(0.5),
        torch.nn.Linear(1024, 10),
    )  # fmt: skip
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    images, labels = torch.from_numpy(X), torch.from_numpy(y)
    start = time.perf_counter()
    for _ in range(epochs):
        model.train()
        for batch in torch.randperm(count).split(64):
            optimizer.zero_grad()
            torch.nn.functional.cross_entropy(model(images[batch]), labels[batch]).backward()
            optimizer.step()
    torch_seconds = (time.perf_counter() - start) / epochs
    model.eval()
    with torch.no_grad():
        predictions = model(torch.from_numpy(X_test)).argmax(1).numpy()
    rows.append(("PyTorch", float(np.mean(predictions == y_test)), torch_seconds))

print(
    f"\n{'':8} {'test accuracy':>14} {'s per epoch':>12}   ({count} training images, {epochs} epochs)"
)
for name, accuracy, seconds in rows:
    print(f"{name:8} {accuracy:>14.4f} {seconds:>12.1f}")
