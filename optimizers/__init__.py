"""descend optimizers (see DESIGN.md)."""
