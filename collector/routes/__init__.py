"""The collector's HTTP routes, one router per concern: api.py (the kiosk API under /api/v1)
and pages.py (the central office's results pages). ``collector.app.create_app`` includes them.
"""
