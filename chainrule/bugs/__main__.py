"""``python -m chainrule.bugs [NAME] [--html FILE] [--force]``: the command on its own."""

import sys

from chainrule.bugs import main

sys.exit(main())
