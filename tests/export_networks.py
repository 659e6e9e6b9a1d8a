"""Networks that together use every layer kind, with every parameter and buffer randomised."""

import numpy as np

from cnnlab import CNN, LRELU, RELU, CostOLS, identity, sigmoid, softmax, tanh


def images(dtype):
    cnn = CNN(seed=0, dtype=dtype)
    cnn.add_Convolution2DLayer(2, 4, 3, 2, 2, 2, pad="same", act_func=LRELU)  # uneven padding
    cnn.add_BatchNormalization()
    cnn.add_ActivationLayer(RELU)
    cnn.add_PoolingLayer(2, 2)
    cnn.add_Convolution2DLayer(4, 3, 3, 3, pad=1, act_func=tanh, padding_mode="circular")
    cnn.add_Convolution2DLayer(3, 3, 2, 2, pad="same", padding_mode="circular")  # uneven, wrapped
    cnn.add_PoolingLayer(2, 1, pooling="average")
    cnn.add_FlattenLayer()
    cnn.add_FullyConnectedLayer(7, sigmoid)
    cnn.add_BatchNormalization()
    cnn.add_Dropout(0.3)
    cnn.add_OutputLayer(5, softmax)
    return cnn, (2, 11, 9)


def signals(dtype):
    cnn = CNN(seed=1, dtype=dtype)
    cnn.add_Convolution1DLayer(2, 4, 3, dilation=2, act_func=RELU)
    cnn.add_Pooling1DLayer(2)
    cnn.add_Convolution1DLayer(4, 3, 4, 2, pad="same", padding_mode="circular")
    cnn.add_BatchNormalization()
    cnn.add_Pooling1DLayer(2, 1, pooling="average")
    cnn.add_GlobalAveragePoolingLayer()
    cnn.add_OutputLayer(2, sigmoid)
    return cnn, (2, 20)


def decoder(dtype):
    cnn = CNN(CostOLS, seed=2, dtype=dtype)
    cnn.add_FullyConnectedLayer(3 * 3 * 4, RELU)
    cnn.add_ReshapeLayer((4, 3, 3))
    cnn.add_Upsampling2DLayer((2, 1))
    cnn.add_TransposedConvolution2DLayer(4, 3, 4, 3, 2, 2, 1)
    cnn.add_Convolution2DLayer(3, 2, 3, 3, pad="valid", act_func=identity)
    cnn.add_GlobalAveragePoolingLayer()
    cnn.add_ReshapeLayer((2, 1, 1))
    return cnn, (5,)


NETWORKS = {"images": images, "signals": signals, "decoder": decoder}


def built(name, dtype=np.float64):
    """The network, built, with random weights, biases, gammas, betas and running statistics."""
    cnn, shape = NETWORKS[name](dtype)
    cnn.build(shape)
    rng = np.random.default_rng(7)
    for layer in cnn.layers:
        for key, value in layer.params.items():
            value[...] = rng.normal(0, 0.5, value.shape) + (1 if key == "gamma" else 0)
        for key, value in layer.buffers.items():
            value[...] = (
                rng.uniform(0.5, 1.5, value.shape)
                if key == "running_var"
                else rng.normal(0, 0.3, value.shape)
            )
    X = rng.standard_normal((6, *shape)).astype(dtype)
    return cnn, X
