#!/usr/bin/env python3
"""Compares two directories of JSON reports (scripts/record_verdicts.sh) rule by rule.

    scripts/compare_verdicts.py BEFORE_DIR AFTER_DIR [--allow FILE] [--allow-new]

Prints every rule whose verdict differs between BEFORE and AFTER for the same report file, and
every report present on one side only. --allow FILE names expected differences, one per line:
`REPORT RULE BEFORE->AFTER  # why` (for a deliberate change of verdict). A difference that
reference.json and reference-again.json already show in BEFORE (timing) is reported as noise.
--allow-new lists the rules BEFORE did not have (`absent -> VERDICT`) and the reports only AFTER
has (a new defect's run) as new instead of unexpected: a rule added since has no verdict to keep.
Exit 0 when nothing unexpected differs, 1 otherwise.
"""
import json
import os
import sys


def verdicts(path):
    with open(path) as f:
        report = json.load(f)
    return {r["id"]: r["verdict"] for r in report["rules"]}


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    before, after = argv[1], argv[2]
    allowed = set()
    if "--allow" in argv:
        with open(argv[argv.index("--allow") + 1]) as f:
            for line in f:
                line = line.split("#", 1)[0].strip()
                if line:
                    allowed.add(tuple(line.split()))
    allow_new = "--allow-new" in argv
    noise = set()
    again = os.path.join(before, "reference-again.json")
    if os.path.exists(again):
        a, b = verdicts(os.path.join(before, "reference.json")), verdicts(again)
        noise = {rule for rule in a if a.get(rule) != b.get(rule)}
    names = sorted(set(os.listdir(before)) | set(os.listdir(after)))
    unexpected = compared = 0
    for name in names:
        if not name.endswith(".json"):
            continue
        b_path, a_path = os.path.join(before, name), os.path.join(after, name)
        if not (os.path.exists(b_path) and os.path.exists(a_path)):
            side = "BEFORE" if os.path.exists(b_path) else "AFTER"
            if side == "AFTER" and allow_new:
                print(f"{name}: only in AFTER (new)")
            else:
                print(f"{name}: only in {side}")
                unexpected += 1
            continue
        b, a = verdicts(b_path), verdicts(a_path)
        report = name[: -len(".json")]
        for rule in sorted(set(b) | set(a)):
            compared += 1
            vb, va = b.get(rule, "absent"), a.get(rule, "absent")
            if vb == va:
                continue
            key = (report, rule, f"{vb}->{va}")
            if vb == "absent" and allow_new:
                print(f"{report}: {rule} new, {va}")
            elif key in allowed:
                print(f"{report}: {rule} {vb} -> {va} (allowed)")
            elif rule in noise:
                print(f"{report}: {rule} {vb} -> {va} (noise: differs between identical runs)")
            else:
                print(f"{report}: {rule} {vb} -> {va}")
                unexpected += 1
    print(f"{compared} verdicts compared, {unexpected} unexpected differences")
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
