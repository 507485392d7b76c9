import sys

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from congress.rules.cli import main as cli_main


def _rulesets():
    """Rule sets edited in the database join the presets; the command still works on a
    machine with no database, with the presets alone."""
    try:
        from personnel.services.ruleset_versions import engine_rulesets

        return engine_rulesets()
    except DatabaseError:
        return None


class Command(BaseCommand):
    help = (
        "Đánh giá một danh sách nhân sự (slate) theo bộ quy tắc: "
        "evaluate_slate FILE.json (hoặc - để đọc từ đầu vào chuẩn); "
        "evaluate_slate --list-params BỘ_QUY_TẮC."
    )

    def run_from_argv(self, argv):
        # The contract fixes the arguments, exit codes and streams: hand them to the CLI.
        code = cli_main(argv[2:], sys.stdin, sys.stdout, sys.stderr, rulesets=_rulesets())
        sys.exit(code)

    def add_arguments(self, parser):
        parser.add_argument("args", nargs="*")

    def handle(self, *args, **options):
        code = cli_main(
            list(args), sys.stdin, self.stdout._out, self.stderr._out, rulesets=_rulesets()
        )
        if code:
            sys.exit(code)
