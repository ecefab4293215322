"""Accounts and access control, one concern per module.

- `passwords`: scrypt hashing, constant-time verification, the password policy.
- `tokens`: signing and strictly verifying short-lived JWT access tokens.
- `sessions`: opaque refresh tokens in PostgreSQL, rotation and theft detection.
- `denylist`: revoked access tokens and per-user cut-offs in Redis (fails closed).
- `ratelimit`: sliding-window limits in Redis with an exact `Retry-After`.
- `client_ip`: the client address behind trusted proxies.
- `users`: registration, login, profile, password change, admin operations.
"""
