"""Training: the step (one readable step; threads built on it), the epoch loop, checkpoints.

Reading order: ``step`` (forward, cost gradient, backward, L2, one optimizer
update), ``threads`` (the same step on shards of the batch), ``loop`` (epochs,
batches, scores, the progress bar), ``checkpoints``. Nothing here imports the
model: the loop is handed one.
"""
