"""The domain and its engines in plain Python, shapely and numpy: no Qt and no qgis import here."""
