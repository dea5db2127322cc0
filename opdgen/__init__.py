"""opdgen: static websites for Indonesian regional-government agencies and their portal."""

__version__ = "0.1.0"
