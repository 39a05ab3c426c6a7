"""The Processing provider and its algorithms: the headless front door to the core engines."""
