#!/usr/bin/env bash
# Records the suite's verdicts, rule by rule, for a later comparison with
# scripts/compare_verdicts.py: the embedded reference endpoint in correct mode (twice, to see
# what varies between identical runs), under every defect, and (when given) against moto and
# from the SDK gates' recordings.
#
#   scripts/record_verdicts.sh BIN OUT_DIR [--moto URL] [--sdk DIR]
#
# BIN is a lattice-conformance binary; OUT_DIR receives one JSON report per run
# (reference.json, reference-again.json, defect-NAME.json, moto.json, sdk-NAME.json).
# --sdk DIR judges every sdk-NAME.jsonl recording in DIR (with sdk-NAME-result.json beside it,
# as .ci/run leaves them in target/ci) with `check-client`.
set -uo pipefail
bin=$1 out=$2
shift 2
moto="" sdk=""
while [ $# -gt 0 ]; do
  case $1 in
    --moto) moto=$2; shift 2 ;;
    --sdk) sdk=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
"$bin" run --seed 1 --json "$out/reference.json" >/dev/null 2>&1
"$bin" run --seed 1 --json "$out/reference-again.json" >/dev/null 2>&1
for d in $("$bin" serve --list-defects | awk '{print $1}'); do
  "$bin" run --seed 1 --defect "$d" --json "$out/defect-$d.json" >/dev/null 2>&1
done
if [ -n "$moto" ]; then
  curl -sf -X POST "$moto/moto-api/reset" >/dev/null || true
  "$bin" run --target moto --endpoint "$moto" --seed 1 --json "$out/moto.json" >/dev/null 2>&1
fi
if [ -n "$sdk" ]; then
  for rec in "$sdk"/sdk-*.jsonl; do
    [ -e "$rec" ] || continue
    name=$(basename "$rec" .jsonl)
    "$bin" check-client "$rec" --client-report "$sdk/$name-result.json" \
      --json "$out/$name.json" >/dev/null 2>&1
  done
fi
ls "$out" | wc -l
