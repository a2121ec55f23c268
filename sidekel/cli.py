"""The `sidekel` command: Django's management commands plus Sidekel's own.

    sidekel migrate
    sidekel wilayah load --kode 62.01.02 --manage
    sidekel demo
    sidekel runserver
"""

import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sidekel.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sidekel", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
