"""The real application driven offscreen by pytest-qt: screens, flows, staff area."""
