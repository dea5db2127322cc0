"""`python -m opdgen` runs the command line."""

from opdgen.launch import entry

entry()
