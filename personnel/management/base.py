"""The base of the project's management commands: what a command changes or reads is
recorded with the command as its origin (`personnel.origin`), also when it is run through
`call_command` (a test, another command) rather than `manage.py`."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from personnel.origin import Source, command_origin, current_origin, using_origin


class OriginCommand(BaseCommand):
    def execute(self, *args, **options):
        if current_origin().source == Source.COMMAND:
            return super().execute(*args, **options)
        name = type(self).__module__.rpartition(".")[2]
        with using_origin(command_origin(name)):
            return super().execute(*args, **options)
