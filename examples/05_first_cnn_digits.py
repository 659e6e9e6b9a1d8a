"""A first CNN on scikit-learn's digits: look at the data, build, train, plot the curves
=====================================================================================
"""

from _common import parse

from cnnlab import CNN, RELU, Adam, CostCrossEntropy, softmax
from cnnlab.datasets import load_digits, onehot, train_val_split
from cnnlab.plotting import plot_images, plot_training_curves

arguments = parse(__doc__)

X, y = load_digits()  # (1797, 1, 8, 8) images in [0, 1], labels 0-9
plot_images(X[:16], y[:16], arguments.output / "digits.png")

# %%
# Targets are one-hot for a softmax output; keep a test set aside, then a validation set.
X_train, X_test, t_train, t_test = train_val_split(X, onehot(y), val_fraction=0.25, seed=1)

cnn = CNN(cost_func=CostCrossEntropy, scheduler=Adam(eta=3e-3), seed=2023)
cnn.add_Convolution2DLayer(
    input_channels=1, feature_maps=16, kernel_height=3, kernel_width=3, act_func=RELU
)
cnn.add_PoolingLayer(kernel_height=2, kernel_width=2, pooling="max")
cnn.add_FlattenLayer()
cnn.add_FullyConnectedLayer(64, RELU)
cnn.add_OutputLayer(10, softmax)

scores = cnn.fit(
    X_train,
    t_train,
    epochs=5 if arguments.quick else 30,
    batch_size=32,
    X_val=X_test,
    t_val=t_test,
    verbose=not arguments.quick,
)
cnn.summary()
print(f"test accuracy: {cnn.evaluate(X_test, t_test)['acc']:.4f}")
plot_training_curves(scores, arguments.output / "curves.png", title="digits")
print(f"figures written to {arguments.output}")
