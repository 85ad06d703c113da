"""Every kiosk screen as PNG files, in Thai and English: ``python -m ui.screenshots OUTDIR``.

``shared`` holds what both renderers use (the still clock, the window size); ``citizen`` renders
the citizen's screens and the keyboard, ``clerk`` the district clerk's; ``__main__`` runs both.
"""
