"""MNIST with the lecture API: the notes' one-map network, then the recipe past 99.3 %
===================================================================================

Needs the MNIST files: set CNNLAB_DATA to their folder (or let load_mnist download
them). Without them the example says so and stops.
"""

from _common import mnist_or_exit, parse

from cnnlab import CNN, LRELU, Adam, CostCrossEntropy, softmax
from cnnlab.datasets import onehot, random_shift
from cnnlab.plotting import plot_training_curves
from cnnlab.zoo import pytorch_mnist

arguments = parse(__doc__)
(X_train, y_train), (X_test, y_test) = mnist_or_exit(arguments.quick)

# %%
# The notes use 10,000 images; quick mode uses 2,000.
count = 2000 if arguments.quick else 10000
X, t = X_train[:count], onehot(y_train[:count], 10)
X_val, t_val = X_test[:1000], onehot(y_test[:1000], 10)

cnn = CNN(cost_func=CostCrossEntropy, scheduler=Adam(eta=1e-3, rho=0.9, rho2=0.999), seed=2023)
cnn.add_Convolution2DLayer(
    input_channels=1, feature_maps=1, kernel_height=3, kernel_width=3, act_func=LRELU
)
cnn.add_FlattenLayer()
cnn.add_FullyConnectedLayer(30, LRELU)
cnn.add_FullyConnectedLayer(20, LRELU)
cnn.add_OutputLayer(10, softmax)
scores = cnn.fit(
    X,
    t,
    lam=1e-5,
    batches=10,
    epochs=3 if arguments.quick else 30,
    X_val=X_val,
    t_val=t_val,
    verbose=False,
)
print(f"notes' network: validation accuracy {scores['val_acc'][-1]:.4f} (real argmax accuracy)")
plot_training_curves(scores, arguments.output / "notes_network.png", title="notes' 1-map network")

# %%
# The recipe (see README): the notes' PyTorch model, Adam with eta x 0.7 per epoch, 8 epochs,
# every batch shifted at random by up to 2 pixels.
recipe = pytorch_mnist(seed=2023)
images = 2000 if arguments.quick else len(X_train)
recipe_scores = recipe.fit(
    X_train[:images], onehot(y_train[:images], 10), epochs=1 if arguments.quick else 8, batch_size=64,
    eta_decay=0.7, augment=random_shift(2), X_val=X_val, t_val=t_val, verbose=not arguments.quick,
)  # fmt: skip
print(f"recipe: test accuracy {recipe.evaluate(X_test, onehot(y_test, 10))['acc']:.4f}")
plot_training_curves(recipe_scores, arguments.output / "recipe.png", title="recipe")
print(f"figures written to {arguments.output}")
