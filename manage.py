#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")
    from django.core.management import execute_from_command_line

    from personnel.origin import command_origin, using_origin

    # Every change a command makes is audited with the command as its origin.
    with using_origin(command_origin(sys.argv[1] if len(sys.argv) > 1 else "help")):
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
