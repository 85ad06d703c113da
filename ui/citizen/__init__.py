"""The citizen's screens: welcome, the three questions, saving, thanks, the failure, still there?

One screen per file, thin: a screen only asks by signal and shows what the flow's view says
(ui/app.py wires them). Nothing here imports the clerk's screens (ui.clerk).
"""
