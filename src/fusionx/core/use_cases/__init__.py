"""One use case per module: a small class taking ports, with an async ``execute``."""
