"""`sangsuk-release`: the central office's tool that makes and signs kiosk updates.

It stands apart from both programs (it imports neither the kiosk nor the collector): it keeps
the signing keys and a TUF repository (tufup's repository tools), which the collector serves
under /updates/ and a USB stick carries as sangsuk-updates/ (docs/deploy.md, "Updates").
"""
