"""What the three command-line programs share in saying things in Thai, then in English.

`sangsuk-kiosk`, `sangsuk-collector` and `sangsuk-release` each print their help, their
messages and argparse's refusals in Thai, then in English, from catalogues of their own (the
kiosk's Qt translation files, the console's JSON catalogues, the release tool's). What does not
depend on whose words they are is written here, once: how argparse's help is laid out with a
Thai usage prefix (``cli.HelpFormatter``), which languages are printed and how each message
becomes a line per language (``cli.Voice``), which of argparse's refusals is which
(``cli.refusal``), and the ``--language`` of a command line not parsed yet.

Why a package of its own, and not ``wire/``: ``wire/`` is what two parties must agree on (the
bytes of votes, batches, receipts, keys), and a verifier is built from it alone; a help
formatter is nothing a kiosk and the collector exchange. The programs stand beside each other and
never import each other (pyproject.toml's import contracts), so the part they share has to sit
below all three. It imports nothing of ours and no Qt (a contract says so), and only the
standard library, so the kiosk's bundle and the collector's quick start (`recount` loads no
database library: tests/collector/test_cli_imports.py) carry it for nothing.
"""
