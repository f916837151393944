"""FusionX: the backend that runs a fleet of food trucks."""
