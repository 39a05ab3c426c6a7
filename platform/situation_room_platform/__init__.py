"""The platform kit: the server side of sync (schema, triggers, QGIS Server project, start-up).

This package lives in the repository's top-level `platform/` folder, which is not itself a Python package
(a package named `platform` would hide the standard library's); scripts and tests put `platform/` on sys.path.
"""
