"""Values and errors every layer shares: no Qt, no I/O."""
