"""The networks the tests train, built in one place."""

from cnnlab import CNN, LRELU, RELU, Adam, CostCrossEntropy, identity, sigmoid, softmax, tanh
from cnnlab.nn.schedulers import make_scheduler


def image_network(**conv):
    cnn = CNN(CostCrossEntropy, Adam(1e-3), seed=0)
    cnn.add_Convolution2DLayer(**conv)
    cnn.add_FlattenLayer()
    cnn.add_OutputLayer(3, softmax)
    return cnn


def every_layer_network(scheduler="Adam"):
    cnn = CNN(CostCrossEntropy, make_scheduler(scheduler, 1e-2), seed=3)
    cnn.add_Convolution2DLayer(2, 3, 3, 2, v_stride=2, pad=1, act_func=tanh)
    cnn.add_PoolingLayer(2, 2, 1, 1, "max")
    cnn.add_Convolution2DLayer(3, 2, 2, 2, pad="valid", act_func=RELU, optimized=False)
    cnn.add_PoolingLayer(2, 1, pooling="average")
    cnn.add_FlattenLayer()
    cnn.add_FullyConnectedLayer(6, LRELU, scheduler=make_scheduler("Momentum", 1e-2))
    cnn.add_Dropout(0.3)
    cnn.add_FullyConnectedLayer(5, sigmoid)
    cnn.add_OutputLayer(3, softmax)
    return cnn


def small_notes_network(seed=2023):
    cnn = CNN(cost_func=CostCrossEntropy, scheduler=Adam(eta=1e-3, rho=0.9, rho2=0.999), seed=seed)
    cnn.add_Convolution2DLayer(
        input_channels=1, feature_maps=1, kernel_height=3, kernel_width=3, act_func=LRELU
    )
    cnn.add_FlattenLayer()
    cnn.add_FullyConnectedLayer(30, LRELU)
    cnn.add_FullyConnectedLayer(20, LRELU)
    cnn.add_OutputLayer(10, softmax)
    return cnn


def untraditional_notes_network():
    cnn = CNN(cost_func=CostCrossEntropy, scheduler=Adam(eta=1e-3, rho=0.9, rho2=0.999), seed=2023)
    cnn.add_Convolution2DLayer(
        input_channels=1, feature_maps=7, kernel_height=7, kernel_width=1, act_func=LRELU
    )
    cnn.add_PoolingLayer(kernel_height=2, kernel_width=2, pooling="average")
    cnn.add_PoolingLayer(kernel_height=2, kernel_width=2, pooling="max")
    cnn.add_Convolution2DLayer(
        input_channels=7, feature_maps=1, kernel_height=4, kernel_width=4,
        v_stride=2, h_stride=3, act_func=LRELU, optimized=False,
    )  # fmt: skip
    cnn.add_Convolution2DLayer(
        input_channels=1, feature_maps=1, kernel_height=2, kernel_width=2, act_func=sigmoid
    )
    cnn.add_PoolingLayer(kernel_height=2, kernel_width=2, pooling="max")
    cnn.add_FlattenLayer()
    cnn.add_FullyConnectedLayer(100, LRELU)
    cnn.add_FullyConnectedLayer(101, sigmoid)
    cnn.add_FullyConnectedLayer(101, identity)
    cnn.add_OutputLayer(10, softmax)
    return cnn


def threads_network(scheduler, dropout=0.0, hidden=400, cost=CostCrossEntropy, output=softmax):
    cnn = CNN(cost, scheduler, seed=3)
    cnn.add_Convolution2DLayer(1, 4, 3, 3, act_func=RELU)
    cnn.add_PoolingLayer(2, 2)
    cnn.add_Convolution2DLayer(4, 8, 5, 5, act_func=RELU, algorithm="fft")  # the FFT path
    cnn.add_FlattenLayer()
    cnn.add_FullyConnectedLayer(hidden, RELU)  # 8 * 5 * 5 * 400 weights: updated in slices
    if dropout:
        cnn.add_Dropout(dropout)
    cnn.add_OutputLayer(3 if output is softmax else 1, output)
    return cnn
