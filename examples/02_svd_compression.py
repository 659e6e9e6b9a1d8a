"""SVD compression of a photograph: rank-k reconstructions with ratio, MSE and PSNR
================================================================================
"""

from _common import parse

from cnnlab.imaging import read_image, svd_compress
from cnnlab.plotting import plot_svd_curves, plot_svd_grid

arguments = parse(__doc__)

image = read_image()  # matplotlib's grace_hopper.jpg, converted to gray with 0.299/0.587/0.114
rank = min(image.shape)
ranks = [5, 10, 20, 100] if arguments.quick else [5, 10, 20, 100, 200, 400, 500]
ranks = [k for k in ranks if k <= rank]  # k cannot exceed the image's rank
print(f"image {image.shape[0]}x{image.shape[1]}, rank at most {rank}")

results = [svd_compress(image, k) for k in ranks]
print(f"{'k':>4} {'ratio':>7} {'MSE':>9} {'PSNR':>6} {'energy':>7}")
for _, record in results:
    print(
        f"{record.k:>4} {record.ratio:>7.3f} {record.mse:>9.6f} {record.psnr:>6.2f} {record.energy:>7.4f}"
    )

plot_svd_grid(image, results, arguments.output / "svd_grid.png")
plot_svd_curves([record for _, record in results], arguments.output / "svd_curves.png")
print(f"figures written to {arguments.output}")
