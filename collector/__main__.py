"""`python -m collector` runs the `sangsuk-collector` command."""

from collector.cli import main

raise SystemExit(main())
