"""Adapters between QGIS layers or GeoPackages and core records: the only place where they meet."""
