"""Looking inside a trained CNN: the learned first-layer kernels and the feature maps of one image
===============================================================================================
"""

from _common import parse

from cnnlab import CNN, RELU, Adam, softmax
from cnnlab.datasets import load_digits, onehot
from cnnlab.plotting import plot_images, plot_kernels

arguments = parse(__doc__)
X, y = load_digits(pad_to=16)  # a little room around each digit for 5x5 kernels
cnn = CNN(scheduler=Adam(3e-3), seed=1)
cnn.add_Convolution2DLayer(1, 8, 5, 5, act_func=RELU)
cnn.add_PoolingLayer(2, 2)
cnn.add_FlattenLayer()
cnn.add_FullyConnectedLayer(64, RELU)
cnn.add_OutputLayer(10, softmax)
cnn.fit(X, onehot(y), epochs=3 if arguments.quick else 20, batch_size=32, verbose=False)

first = cnn.layers[0]
plot_kernels(first.params["W"], arguments.output / "kernels.png")

# %%
# Feature maps: the first layer's output for one image, one panel per kernel.
image = X[:1]
maps = first.forward(image)[0]
plot_images(image, [f"digit {y[0]}"], arguments.output / "input.png")
plot_images(
    maps, [f"map {i}" for i in range(len(maps))], arguments.output / "feature_maps.png", columns=4
)
print(f"figures written to {arguments.output}")
