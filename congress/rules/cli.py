"""Command-line front end of the slate evaluator (wrapped by the ``evaluate_slate`` management command).

Usage::

    evaluate_slate FILE.json        # FILE may be '-' for standard input
    evaluate_slate --list-params RULESET

Valid input: one JSON document on stdout, exit 0 (whatever the findings). Bad input: a Vietnamese message
on stderr, nothing on stdout, exit 2.
"""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from .rulesets import PRESETS, RuleSet
from .slate import SlateInputError, evaluate, parse_slate

__all__ = ["EXIT_BAD_INPUT", "EXIT_OK", "USAGE", "list_params_text", "main"]

EXIT_OK = 0
EXIT_BAD_INPUT = 2

USAGE = (
    "Cách dùng:\n"
    "  evaluate_slate TỆP.json          (TỆP là '-' để đọc từ đầu vào chuẩn)\n"
    "  evaluate_slate --list-params BỘ_QUY_TẮC\n"
)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"giá trị {name} không được phép trong JSON")


def list_params_text(rs: RuleSet) -> str:
    """Human-readable listing of a rule set's parameters, values and sources."""
    lines = [f"Bộ quy tắc {rs.code}: {rs.name}", f"Nguồn: {rs.source}", "", "Tham số:"]
    width = max((len(name) for name in rs.params), default=0)
    for name, value in rs.params.items():
        source = rs.param_sources.get(name, "")
        lines.append(f"  {name.ljust(width)} = {json.dumps(value, ensure_ascii=False)}")
        if source:
            lines.append(f"  {' ' * width}   nguồn: {source}")
    lines += ["", "Thời điểm tính tuổi:"]
    for key, value in rs.reference_dates.items():
        lines.append(f"  {key} = {value.isoformat() if value else 'null (nhập reference_date)'}")
    lines += ["", "Số lượng theo cấp và loại cơ quan:"]
    for r in rs.seat_ranges:
        formed = ""
        if r.get("formed_from_min") is not None or r.get("formed_from_max") is not None:
            formed = f", hình thành từ {r.get('formed_from_min') or 1}-{r.get('formed_from_max') or '∞'} đơn vị"
        lines.append(
            f"  {r.get('level') or 'mọi cấp'} / {r.get('kind')}{formed}: "
            f"tối thiểu {json.dumps(r.get('min'))}, tối đa {json.dumps(r.get('max'))}"
            f"  (nguồn: {r.get('source', '')})"
        )
    return "\n".join(lines) + "\n"


def main(
    argv: list[str],
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    rulesets: dict[str, RuleSet] | None = None,
) -> int:
    """Run the command; returns the exit code. ``rulesets`` defaults to the presets."""
    stdin = sys.stdin if stdin is None else stdin
    stdout = sys.stdout if stdout is None else stdout
    stderr = sys.stderr if stderr is None else stderr
    rulesets = PRESETS if rulesets is None else rulesets
    args = list(argv)

    def fail(message: str) -> int:
        stderr.write(f"Lỗi: {message}\n")
        return EXIT_BAD_INPUT

    if not args or args[0] in ("-h", "--help"):
        if args:
            stdout.write(USAGE)
            return EXIT_OK
        return fail("thiếu tham số.\n" + USAGE)
    if args[0] == "--list-params":
        if len(args) != 2:
            return fail("--list-params cần đúng một mã bộ quy tắc.\n" + USAGE)
        rs = rulesets.get(args[1])
        if rs is None:
            return fail(f"bộ quy tắc '{args[1]}' không tồn tại (có: {', '.join(sorted(rulesets))})")
        stdout.write(list_params_text(rs))
        return EXIT_OK
    if len(args) != 1 or (args[0].startswith("-") and args[0] != "-"):
        return fail("tham số không hợp lệ: " + " ".join(args) + "\n" + USAGE)
    path = args[0]
    try:
        if path == "-":
            text = stdin.read()
            if isinstance(text, bytes):
                text = text.decode("utf-8")
        else:
            with open(path, encoding="utf-8-sig") as fh:
                text = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        where = "đầu vào chuẩn" if path == "-" else f"tệp '{path}'"
        return fail(f"không đọc được {where}: {exc}")
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except ValueError as exc:  # json.JSONDecodeError is a ValueError
        return fail(f"JSON không hợp lệ: {exc}")
    except RecursionError:
        return fail("JSON không hợp lệ: lồng nhau quá sâu")
    try:
        result = evaluate(parse_slate(data, rulesets))
    except SlateInputError as exc:
        return fail(str(exc))
    except RecursionError:
        return fail("dữ liệu đầu vào lồng nhau quá sâu")
    stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
    stdout.write("\n")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
