"""The weekly report drawn: matplotlib charts (Agg, no display) and one self-contained HTML
page with the charts embedded as PNG. The numbers come from bot/reporting (pure)."""
