#!/usr/bin/env python3
"""Lists production functions longer than a limit (default 120 lines) in crates/*/src.

    scripts/long_functions.py [LIMIT]

A function runs from its `fn` line to the line of its closing brace at the same indentation.
Test modules (`#[cfg(test)] mod tests`) are skipped. Exit 1 when any function is over the limit.
"""
import glob
import re
import sys


def functions(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    in_tests_from = None
    for i, line in enumerate(lines):
        if re.match(r"\s*#\[cfg\(test\)\]", line):
            in_tests_from = i
            break
    limit = in_tests_from if in_tests_from is not None else len(lines)
    for i, line in enumerate(lines[:limit]):
        m = re.match(r"^(\s*)(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?fn\s+(\w+)", line)
        if not m or line.rstrip().endswith(";"):
            continue
        indent = m.group(1)
        for j in range(i + 1, limit):
            if lines[j] == indent + "}":
                yield m.group(6), i + 1, j - i + 1
                break


def main():
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 120
    over = []
    for path in sorted(glob.glob("crates/*/src/**/*.rs", recursive=True)):
        for name, line, length in functions(path):
            if length > limit:
                over.append((length, f"{path}:{line} {name}"))
    for length, where in sorted(over, reverse=True):
        print(f"{length:5} {where}")
    print(f"{len(over)} function(s) over {limit} lines")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
