"""Two campaigns a year apart, for the campaign tests (and the UTC helper they all use)."""

from datetime import UTC, datetime

from collector.store import campaigns

# Campaign 2569: Thai days 2026-11-01 .. 2026-11-30, i.e. 2026-10-31T17:00Z .. 2026-11-30T17:00Z.
C2569 = campaigns.make(
    2569, "ประเมินอำเภอ ๒๕๖๙", "District rating 2569", "2026-11-01", "2026-11-30",
    "เสียงของคุณสำคัญ", "Your voice matters",
)  # fmt: skip
C2570 = campaigns.make(
    2570, "ประเมินอำเภอ ๒๕๗๐", "District rating 2570", "2027-11-01", "2027-11-30",
    "บอกเราหน่อย", "Tell us",
)  # fmt: skip


def utc(*args: int) -> datetime:
    """A UTC moment."""
    return datetime(*args, tzinfo=UTC)
