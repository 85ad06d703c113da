"""Command line of the kiosk (placeholder)."""


def main(argv: list[str] | None = None) -> int:
    """Run the kiosk command line."""
    return 0
