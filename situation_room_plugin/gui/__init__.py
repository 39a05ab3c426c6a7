"""The dock, map tools and dialogs: the desktop front door to the core engines."""
