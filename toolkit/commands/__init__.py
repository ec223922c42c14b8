"""One module per ``ictk`` command, each exporting ``command``; see ``toolkit.cli.COMMANDS``.

Commands parse arguments and call library functions; they hold no logic a test would want to call.
Heavy imports happen inside the command function, not at module import time.
"""
