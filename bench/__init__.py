"""Benchmarks of every engine, side by side with the QGIS-native way, run by `make bench`."""
