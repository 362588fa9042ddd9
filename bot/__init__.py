"""Bilingual (nl/fr) assistant for Belgian volunteers, associations and the expertise centre."""
