"""The `dacwallet` command: with no command it opens the app, otherwise it runs the CLI.

It lives in ui/ so that the Qt-free core never imports the GUI; the GUI is
imported only when it is really opened.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    from dacwallet import cli

    if cli.wants_gui(args):
        from ui.app import run_app

        return run_app(cli.global_options(args))
    return cli.main(args)


if __name__ == "__main__":
    sys.exit(main())
