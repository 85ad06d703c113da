"""The console's accounts: passwords (passwords.py), sessions and lockout (accounts.py), what a
route needs to be private (web.py), and the security headers on every answer (headers.py)."""
