"""Widgets both the citizen's and the clerk's screens use: buttons, focus, sizes, the keyboard.

Nothing here imports a screen (ui.citizen or ui.clerk); pyproject.toml's contracts say so.
"""
