"""The collector's HTTP routes, one router per concern, which ``collector.app.create_app`` includes.

api.py is the kiosk API under /api/v1; pages.py is the central office's results pages;
updates.py serves the kiosk update repository under /updates/ when one is set. Each
gets what it needs (the store, the checker, the key) from collector/deps.py.
"""
