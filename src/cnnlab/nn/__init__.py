"""The math of a network, with no layers in it: activations, costs, initializers,
optimizers ("schedulers" in the course notes) and the accuracy metric."""
