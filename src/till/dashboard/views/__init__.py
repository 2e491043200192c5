"""One module per dashboard view; each exposes a ``router``."""
