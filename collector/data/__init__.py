"""Data bundled with the collector: the demo district classification (districts-demo.csv)."""
