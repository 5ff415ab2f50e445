"""`python -m dacwallet`: the same program as the `dacwallet` command.

That command's entry point lives in ui/ because with no command it opens the app; the core never imports the
GUI, so the entry point is looked up through the installed distribution instead of imported. Without an
installed distribution only the CLI runs.
"""

from __future__ import annotations

import sys
from importlib.metadata import entry_points

from dacwallet import cli


def main() -> int:
    found = entry_points(group="console_scripts", name="dacwallet")
    if found:
        launch = next(iter(found)).load()
        return int(launch())
    if cli.wants_gui(sys.argv[1:]):
        print(
            "dacwallet: the app is not installed here; run `pip install .` or use a command (`--help`).",
            file=sys.stderr,
        )
        return cli.EXIT_USAGE
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
