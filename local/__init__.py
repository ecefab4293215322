"""The local serverless runtime: reads template.yaml and runs its functions on this machine."""
