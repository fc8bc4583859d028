"""The `kiosk` command line: run, status, content, simulate, screenshots, staff and sync commands."""
