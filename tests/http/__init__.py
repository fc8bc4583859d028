"""Real HTTP on loopback: the sync client against the reference backend, commands, closing the loop."""
