"""The district clerk's screens: the hidden corner, PIN, setup, overview, roster, USB, settings.

``ui/clerk/area.py`` holds the screens; each screen talks to the kiosk window through the
``ClerkHost`` protocol (ui/clerk/host.py). Nothing here imports the citizen's screens.
"""
