"""Briefings for meetings: static maps (matplotlib), a PowerPoint deck and a PDF, built from
one list of sections (content.py) so both say the same thing."""
