"""`python -m sync.collector` runs the `sangsuk-collector` command."""

from sync.collector.cli import main

raise SystemExit(main())
