"""Real servers started by the tests on 127.0.0.1: a feed server with failure injection, QGIS Server, pygeoapi."""
