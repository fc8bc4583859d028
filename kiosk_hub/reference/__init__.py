"""The reference backend: the protocol's executable specification and test double, standard library only."""
