"""Renderers: turn the neutral Answer into platform formats (Block Kit, Adaptive Cards)."""
