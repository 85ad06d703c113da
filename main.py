"""Start the Sangsuk kiosk: `uv run main.py` (the same as the `sangsuk-kiosk` command)."""

import sys

from ui.cli import main

if __name__ == "__main__":
    sys.exit(main())
