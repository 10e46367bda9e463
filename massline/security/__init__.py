"""Abuse controls and safe defaults: client addresses, throttles, login lockout, CSP, secret-key checks."""
