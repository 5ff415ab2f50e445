"""The `dacwallet` command: with no command it opens the app, otherwise it runs the CLI.

It lives in ui/ so that the Qt-free core never imports the GUI; the GUI is
imported only when it is really opened.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

NO_DISPLAY = (
    "dacwallet: no display to open the app on (neither DISPLAY nor WAYLAND_DISPLAY is set). "
    "Use the command line (`dacwallet --help`), or run the app under a virtual display: "
    "`xvfb-run dacwallet`."
)


def has_display(environ: Mapping[str, str] = os.environ, platform: str = sys.platform) -> bool:
    """False on a Linux/BSD machine with no X11 or Wayland display and no Qt platform chosen by hand
    (Qt would abort there with a misleading message about a missing xcb library)."""
    if not platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return True
    return any(environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    from dacwallet import cli

    if cli.wants_gui(args):
        if not has_display():
            print(NO_DISPLAY, file=sys.stderr)
            return cli.EXIT_REFUSED
        from ui.app import run_app

        return run_app(cli.global_options(args))
    return cli.main(args)


if __name__ == "__main__":
    sys.exit(main())
