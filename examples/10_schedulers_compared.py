"""The six optimizers of the notes on the same network and data: all cost curves in one plot
=========================================================================================
"""

from _common import parse

from cnnlab import CNN, RELU, Adagrad, AdagradMomentum, Adam, Constant, Momentum, RMS_prop, softmax
from cnnlab.datasets import load_digits, onehot
from cnnlab.plotting import plot_loss_curves

arguments = parse(__doc__)
X, y = load_digits()
t = onehot(y)
epochs = 5 if arguments.quick else 30

schedulers = {
    "Constant(0.05)": Constant(0.05),
    "Momentum(0.05, 0.9)": Momentum(0.05, 0.9),
    "Adagrad(0.05)": Adagrad(0.05),
    "AdagradMomentum(0.01, 0.9)": AdagradMomentum(0.01, 0.9),
    "RMS_prop(1e-3, 0.9)": RMS_prop(1e-3, 0.9),
    "Adam(1e-3)": Adam(1e-3),
}
curves = {}
for name, scheduler in schedulers.items():
    cnn = CNN(scheduler=scheduler, seed=0)  # the same seed: the same initial weights
    cnn.add_Convolution2DLayer(1, 8, 3, 3, act_func=RELU)
    cnn.add_PoolingLayer(2, 2)
    cnn.add_FlattenLayer()
    cnn.add_FullyConnectedLayer(32, RELU)
    cnn.add_OutputLayer(10, softmax)
    scores = cnn.fit(X, t, epochs=epochs, batch_size=32, verbose=False)
    curves[name] = scores["train_error"]
    print(
        f"{name:>28}: final cost {scores['train_error'][-1]:.4f}, accuracy {scores['train_acc'][-1]:.4f}"
    )
plot_loss_curves(curves, arguments.output / "schedulers.png", title="Six optimizers on digits")
print(f"figure written to {arguments.output / 'schedulers.png'}")
