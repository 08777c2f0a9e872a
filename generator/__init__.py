"""arshif: a static archive site generator for news."""

__version__ = "0.1.0"
