"""descend data (see DESIGN.md)."""
