"""The notes' eta x lambda grid search on digits, with its two heatmaps
====================================================================
"""

import numpy as np
from _common import parse

from cnnlab.search import grid_search, write_results

arguments = parse(__doc__)

if arguments.quick:
    etas, lams, epochs = [1e-2, 1e-1, 1.0], [1e-5, 1e-2], 3
else:
    etas = lams = np.logspace(-5, 1, 7)  # as in the notes
    epochs = 100
results = grid_search(
    etas, lams, epochs=epochs, batch_size=100, scheduler="Constant", progress=not arguments.quick
)
print("test accuracy (rows: eta, columns: lambda):")
print(np.round(results["test_acc"], 3))
for path in write_results(results, arguments.output):
    print(f"written {path}")
