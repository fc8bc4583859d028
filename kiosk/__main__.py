"""`python -m kiosk` is the `kiosk` command."""

import sys

from kiosk.cli.main import main

sys.exit(main())
