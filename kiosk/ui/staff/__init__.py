"""The staff area's screens: PIN pad, dashboard, results, export, audit log, actions."""
