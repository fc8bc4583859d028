"""The app's composition: builds the store, content, visit, staff area and window, wires them, starts threads."""
