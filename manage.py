#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "purchase_portal.settings")
    # A checkout without configuration is a developer's: commands run with the
    # development defaults. Deployments set SECRET_KEY (and get production
    # settings); the web and worker processes never take this path.
    if "SECRET_KEY" not in os.environ:
        os.environ.setdefault("DEVELOPMENT", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
