"""Operating a deployment: backups and restores, and the sweeper that clears stuck work."""
