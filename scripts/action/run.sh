#!/usr/bin/env bash
# The work of the GitHub Action (action.yml at the repository root), kept here so that .ci/run
# exercises exactly what the action runs: the suite against an endpoint with a target profile,
# every report written into one directory, the Markdown report appended to the step summary, and
# the suite's own exit code as this script's exit code (0 conformant, 1 failures, 2 usage or
# profile error, 3 inconclusive; see the README's "Exit codes").
#
# Inputs, from the environment (the action maps its inputs onto these, so that no input is ever
# pasted into a shell line):
#   INPUT_ENDPOINT         the endpoint under test (required; overrides the profile's endpoint)
#   INPUT_TARGET           the target profile: a TOML path, or a shipped name (required)
#   INPUT_SEED             the seed (default 1)
#   INPUT_EXTRA_ARGS       more `run` options, split on white space (no quoting, no globbing)
#   INPUT_REPORTS_DIR      where the reports go (default lattice-conformance-reports)
#   INPUT_STRICT_EXPECTED  true (default): pass --strict-expected; false: do not
#   LATTICE_BIN            the lattice-conformance binary (default: this checkout's release build)
#   GITHUB_STEP_SUMMARY    when set, the Markdown report (or why there is none) is appended to it
#   GITHUB_OUTPUT          when set, `exit-code=N` and `reports-dir=DIR` are appended to it
#
# Writes into the reports directory: lattice.json, lattice.xml (JUnit), lattice.md, lattice.html
# and console.txt (what the run printed).
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=${LATTICE_BIN:-$root/target/release/lattice-conformance}
endpoint=${INPUT_ENDPOINT:-}
target=${INPUT_TARGET:-}
seed=${INPUT_SEED:-1}
reports=${INPUT_REPORTS_DIR:-lattice-conformance-reports}
strict=${INPUT_STRICT_EXPECTED:-true}
read -r -a extra <<< "${INPUT_EXTRA_ARGS:-}"

usage() {
  echo "scripts/action/run.sh: $1" >&2
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    printf '### lattice-conformance: not run\n\n%s\n' "$1" >> "$GITHUB_STEP_SUMMARY"
  fi
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    echo "exit-code=2" >> "$GITHUB_OUTPUT"
  fi
  exit 2
}

[ -n "$endpoint" ] || usage "no endpoint (input \`endpoint\`, INPUT_ENDPOINT)"
[ -n "$target" ] || usage "no target profile (input \`target\`, INPUT_TARGET)"
[ -x "$bin" ] || usage "no lattice-conformance binary at \`$bin\` (hint: cargo build --release -p lattice-cli, or LATTICE_BIN)"
case "$strict" in
  true) strict_args=(--strict-expected) ;;
  false) strict_args=() ;;
  *) usage "strict-expected must be \`true\` or \`false\`, not \`$strict\`" ;;
esac
mkdir -p "$reports" || usage "cannot create the reports directory \`$reports\`"

args=(run --target "$target" --endpoint "$endpoint" --seed "$seed" "${strict_args[@]}"
  --json "$reports/lattice.json" --junit "$reports/lattice.xml"
  --markdown "$reports/lattice.md" --html "$reports/lattice.html" "${extra[@]}")
echo "lattice-conformance ${args[*]}"
"$bin" "${args[@]}" 2>&1 | tee "$reports/console.txt"
status=${PIPESTATUS[0]}

case "$status" in
  0) meaning="conformant" ;;
  1) meaning="conformance failures" ;;
  2) meaning="usage or target-profile error" ;;
  3) meaning="inconclusive: conformance is not shown" ;;
  *) meaning="unexpected exit code" ;;
esac
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  {
    printf '### lattice-conformance: exit %s (%s)\n\n' "$status" "$meaning"
    printf 'Target `%s`, endpoint `%s`, seed %s%s.\n\n' "$target" "$endpoint" "$seed" \
      "$([ "$strict" = true ] && echo ', --strict-expected')"
    if [ -s "$reports/lattice.md" ]; then
      cat "$reports/lattice.md"
    else
      printf 'No Markdown report was written; the last lines the run printed:\n\n```\n'
      tail -n 20 "$reports/console.txt"
      printf '```\n'
    fi
    printf '\n'
  } >> "$GITHUB_STEP_SUMMARY"
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  printf 'exit-code=%s\nreports-dir=%s\n' "$status" "$reports" >> "$GITHUB_OUTPUT"
fi
echo "lattice-conformance exited $status ($meaning); reports in $reports"
exit "$status"
