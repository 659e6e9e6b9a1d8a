"""The notes' Keras CIFAR-10 model in cnnlab: its summary, and training when the data are there
============================================================================================
"""

from _common import parse

from cnnlab.datasets import load_cifar10, onehot
from cnnlab.plotting import plot_images, plot_training_curves
from cnnlab.zoo import keras_cifar10

arguments = parse(__doc__)
cnn = keras_cifar10(seed=0)
cnn.summary(input_shape=(3, 32, 32))  # 122,570 parameters, as in the TensorFlow tutorial

try:
    data = load_cifar10(download=False)
except ValueError as error:
    data = None
    print(f"skipping training: CIFAR-10 not available ({error}).")
    print(
        "Put cifar-10-binary.tar.gz in a folder and set CNNLAB_DATA to it, or call load_cifar10()."
    )

# %%
# Training, when the data are there.
if data is not None:
    (X_train, y_train), (X_test, y_test) = data
    classes = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship",
               "truck"]  # fmt: skip
    plot_images(X_train[:16], [classes[i] for i in y_train[:16]], arguments.output / "cifar10.png")
    count = 2000 if arguments.quick else len(X_train)
    scores = cnn.fit(
        X_train[:count], onehot(y_train[:count], 10), epochs=1 if arguments.quick else 10,
        batch_size=64, X_val=X_test[:2000], t_val=onehot(y_test[:2000], 10),
        verbose=not arguments.quick,
    )  # fmt: skip
    plot_training_curves(scores, arguments.output / "curves.png", title="CIFAR-10")
    print(f"test accuracy: {cnn.evaluate(X_test, onehot(y_test, 10))['acc']:.4f}")
