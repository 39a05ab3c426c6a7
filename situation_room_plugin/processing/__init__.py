"""The Processing provider and its algorithms: the headless front door to the core engines."""

#: The provider's id: algorithms are `situation_room:<name>` (a contract for models, scripts, qgis_process).
PROVIDER_ID = "situation_room"


def algorithm_id(name: str) -> str:
    """The full id of one of the provider's algorithms: ``algorithm_id("detect_conflicts")``."""
    return f"{PROVIDER_ID}:{name}"
