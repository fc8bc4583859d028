"""The benchmarks run on tiny inputs, so that a change cannot break one silently."""
