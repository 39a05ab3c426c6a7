"""`make demo`: the Situation Room at work on Prato — sample works seeded on real streets, the platform and the
partners' feeds on 127.0.0.1, and the coordination workflow run headless (qgis_process) or in QGIS."""
