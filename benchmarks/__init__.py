"""`make bench`: a deterministic region corpus, its Hugo and Pelican twins, and the timing harness."""
