"""`python -m opdgen` runs the command line."""

from opdgen.cli import entry

entry()
