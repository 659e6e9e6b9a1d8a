"""CNN arithmetic: output sizes and parameter counts of convolutional layers
=========================================================================

The notes' example: a 32x32x3 input and ten 5x5 filters (stride 1, no padding)
give a 28x28x10 output, with 5*5*3 + 1 = 76 parameters per filter, 760 in all.
"""

import numpy as np
from _common import parse
from matplotlib.figure import Figure

from cnnlab.imaging import conv_output_size, conv_parameters, pool_output_size

arguments = parse(__doc__)

# %%
# The notes' worked example.
side = conv_output_size(32, 5, stride=1, padding=0)
print(f"32x32x3 input, ten 5x5 filters: output {side}x{side}x10")
print(
    f"parameters per filter: {conv_parameters(5, 5, 3, 1)}, in all: {conv_parameters(5, 5, 3, 10)}"
)

# %%
# The notes' question: 32 filters of 3x3 over 3 colour channels.
print(f"32 filters of 3x3x3: {conv_parameters(3, 3, 3, 32)} parameters (864 weights + 32 biases)")

# %%
# Pooling halves each side: 28 -> 14 -> 7 in an MNIST network.
print(f"28 -> pool 2 -> {pool_output_size(28, 2)} -> pool 2 -> {pool_output_size(14, 2)}")

# %%
# A figure: how kernel size, stride and padding shape the output of a 32-pixel input.
kernels = np.arange(1, 16)
figure = Figure(figsize=(6, 4))
axes = figure.subplots()
for stride, padding, style in [(1, 0, "o-"), (1, 2, "s-"), (2, 0, "^-"), (2, 2, "v-")]:
    sizes = [conv_output_size(32, k, stride, padding) for k in kernels]
    axes.plot(kernels, sizes, style, label=f"stride {stride}, padding {padding}")
axes.set_xlabel("kernel size k")
axes.set_ylabel("output size")
axes.set_title("Output size of a 32-pixel input: (n - k + 2p) // s + 1")
axes.grid(alpha=0.3)
axes.legend()
figure.tight_layout()
figure.savefig(arguments.output / "output_sizes.png", dpi=100)
print(f"figure written to {arguments.output / 'output_sizes.png'}")
