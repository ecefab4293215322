"""Accounts and access control, one concern per module.

- `passwords`: scrypt hashing, constant-time verification, the password policy.
- `tokens`: signing and strictly verifying short-lived JWT access tokens.
- `sessions`: opaque refresh tokens in PostgreSQL, rotation and theft detection.
- `denylist`: revoked access tokens, ended sessions and per-user cut-offs in Redis (fails
  closed).
- `limits`: sign-in, registration and API rate limits (on `bookreader.ratelimit`), and the
  per-account sign-in lockout.
- `client_ip`: the client address behind trusted proxies.
- `emails`: one spelling per mailbox; lookalike addresses refused.
- `origin`: the cookie routes answer only our own site's pages.
- `users`: registration, login, profile, password change, admin operations.
"""
