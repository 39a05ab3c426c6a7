"""Plugin plumbing shared by every front door: logging, settings, translation."""
