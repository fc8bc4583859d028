"""Developer tooling: the UI driver, synthetic visitors and the screenshot tour."""
