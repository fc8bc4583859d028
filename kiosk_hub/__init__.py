"""The server side of the sync protocol: the reference backend (executable specification) and the hub."""
