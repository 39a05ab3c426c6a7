"""Read -> run -> write for each task of the Situation Room, called by Processing and by the dock alike."""
