"""The `sangsuk-collector` command: the central office's tool (docs/operations.md).

Every subcommand takes ``--db PATH``. An error that stops a command is one sentence on stderr,
also logged to ``logs/collector.log`` beside the database; `import` reports each file on
stdout, refusals included (each refusal is also in the audit). Exit code 2 means the command
could not run as asked (usage, setup, a bad file to load), 1 that it ran but something needs
attention (a refused file, a conflict, a receipt not written), 0 that all went well.

main.py holds the parser and ``main``; each concern's commands are a module of their own:
serve.py, tokens.py, districts.py, kiosks.py (kiosks, revoke, audit), stick_import.py
(import) and report.py (report, awards, publish, recount), over common.py and formatting.py.
Nothing outside this package imports it.

A command module imports what opens a database (``CollectorStore``, SQLAlchemy, the console's
accounts) inside the commands that need it, and names it for the type checker only under
``TYPE_CHECKING``: every command builds the whole parser, and `recount`, which an auditor
runs on a publication without a database, then starts without loading any of it
(tests/collector/test_cli_imports.py; the figures are in docs/performance.md).
"""

from collector.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
