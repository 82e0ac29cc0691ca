#!/usr/bin/env bash
# Build the bundle (packaging/build.sh) and try it: its size, how fast it starts, that it
# imports the sample dump and a 1,000-page dump (in worker processes), and that the window
# starts, imports (in a child process: the frozen executable must serve multiprocessing's
# spawn) and exits cleanly.
#
#   packaging/check.sh              build, then check
#   packaging/check.sh --no-build   check the bundle already in packaging/dist/
#
# Uses the current Python like build.sh (for building, generating the synthetic dump and
# reading the library file). Nothing outside a temporary folder is touched: the window's
# settings and data folders point into it. Exit status 0 when every check passed.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
PYTHON="${PYTHON:-$(command -v python3 || command -v python)}"
BUNDLE="$HERE/dist/dump-reader"
EXE="$BUNDLE/dump-reader"
SAMPLE="$ROOT/src/reader/resources/sample_dump"
LARGE=1000
BUILD=1
for arg in "$@"; do
  case "$arg" in
    --no-build) BUILD=0 ;;
    -h | --help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "check.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

TMP="$(mktemp -d "${TMPDIR:-/tmp}/dump-reader-check.XXXXXX")"
GUI_PID=""
cleanup() {
  if [ -n "$GUI_PID" ]; then kill "$GUI_PID" 2>/dev/null || true; fi
  if [ -n "${XVFB_PID:-}" ]; then kill "$XVFB_PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT
export XDG_CONFIG_HOME="$TMP/config" XDG_DATA_HOME="$TMP/data" XDG_CACHE_HOME="$TMP/cache"
export XDG_RUNTIME_DIR="$TMP/runtime" READER_DB="$TMP/unused.sqlite"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
unset WAYLAND_DISPLAY

FAILED=0
fail() { echo "check.sh: FAIL: $*" >&2; FAILED=1; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
seconds() { printf '%d.%02d' $(( $1 / 1000 )) $(( $1 % 1000 / 10 )); }
# Lines on stderr that mean something went wrong (a frozen worker parsing its arguments as a
# command line prints argparse's usage; a missing Qt plugin or library, Qt's own complaint).
BAD_STDERR='Traceback|usage: reader|unrecognized arguments|Could not load the Qt platform plugin|cannot open shared object|resource_tracker'
clean_stderr() {  # file, what
  if grep -Eq "$BAD_STDERR" "$1"; then
    fail "$2 wrote errors to stderr:"; sed 's/^/    /' "$1" | head -20 >&2
  fi
}
documents_in() {  # the number of documents in a library file, 0 while it is being created
  "$PYTHON" - "$1" <<'EOF'
import sqlite3, sys
try:
    con = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, timeout=1)
    print(con.execute("SELECT count(*) FROM documents").fetchone()[0])
except sqlite3.Error:
    print(0)
EOF
}
json_field() {  # file, field
  "$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}

# ------------------------------------------------------------------------------ build
if [ "$BUILD" = 1 ]; then
  "$HERE/build.sh"
fi
test -x "$EXE" || { echo "check.sh: no bundle at $EXE; run packaging/build.sh" >&2; exit 1; }
VERSION="$(cd "$ROOT/src" && "$PYTHON" -c 'import reader; print(reader.__version__)')"
SIZE="$(du -sh "$BUNDLE" | cut -f1)"
FILES="$(find "$BUNDLE" -type f | wc -l)"
PACKED="$(tar -C "$(dirname "$BUNDLE")" -czf - dump-reader | wc -c)"
PACKED="$(( PACKED / 1024 / 1024 ))M"
echo "check.sh: bundle $BUNDLE: $SIZE, $FILES files, $PACKED as .tar.gz"
# The story grouping's compiled parts are in the bundle when they were built in the sources.
for name in _summary _pairs _index; do
  if ls "$ROOT"/src/reader/stories/$name*.so >/dev/null 2>&1; then
    find "$BUNDLE" -name "$name*.so" | grep -q . || fail "reader/stories/$name is not in the bundle"
  fi
done

# ---------------------------------------------------------------------- version, start
t0=$(now_ms); said="$("$EXE" --version)"; first=$(( $(now_ms) - t0 ))
[ "$said" = "reader $VERSION" ] || fail "the bundle says '$said', the package is $VERSION"
best=999999
for _ in 1 2 3; do
  t0=$(now_ms); "$EXE" --version >/dev/null; t=$(( $(now_ms) - t0 ))
  [ "$t" -lt "$best" ] && best=$t
done
echo "check.sh: start (reader --version): $(seconds "$best") s (first run $(seconds "$first") s)"

# --------------------------------------------------------------------------- CLI import
export QT_QPA_PLATFORM=offscreen
t0=$(now_ms)
rc=0; "$EXE" import "$SAMPLE" --db "$TMP/sample.sqlite" --json >"$TMP/sample.json" 2>"$TMP/sample.err" || rc=$?
sample_ms=$(( $(now_ms) - t0 ))
SAMPLE_COUNT="$(json_field "$TMP/sample.json" imported 2>/dev/null || echo '?')"
[ "$rc" = 0 ] || fail "importing the sample dump exited with $rc"
[ "$SAMPLE_COUNT" = 21 ] || fail "the sample dump gave $SAMPLE_COUNT documents, not 21"
clean_stderr "$TMP/sample.err" "the sample import"
echo "check.sh: CLI import of the sample dump: $SAMPLE_COUNT imported in $(seconds "$sample_ms") s (exit $rc)"

# --------------------------------------------- a large import: worker processes, frozen
(cd "$ROOT/tests/benchmarks" && "$PYTHON" -c \
  "import sys; from pathlib import Path; from synthetic import write_dump; write_dump(Path(sys.argv[1]), $LARGE)" \
  "$TMP/large")
t0=$(now_ms)
"$EXE" import "$TMP/large" --db "$TMP/large.sqlite" --json >"$TMP/large.json" 2>"$TMP/large.err" &
pid=$!
WORKERS=0
while kill -0 "$pid" 2>/dev/null; do
  # Workers are forked on Linux (the command line has no Qt) and spawned elsewhere: either
  # way they are children of the import.
  n="$(pgrep -P "$pid" | wc -l || true)"
  [ "$n" -gt "$WORKERS" ] && WORKERS=$n
  sleep 0.05
done
rc=0; wait "$pid" || rc=$?
large_ms=$(( $(now_ms) - t0 ))
LARGE_COUNT="$(json_field "$TMP/large.json" imported 2>/dev/null || echo '?')"
[ "$rc" = 0 ] || fail "the $LARGE-page import exited with $rc"
[ "$LARGE_COUNT" = "$LARGE" ] || fail "the $LARGE-page import gave $LARGE_COUNT documents"
[ "$WORKERS" -ge 1 ] || [ "$(nproc)" -le 1 ] || fail "no worker process was seen in the $LARGE-page import"
clean_stderr "$TMP/large.err" "the $LARGE-page import"
echo "check.sh: CLI import of $LARGE synthetic pages: $LARGE_COUNT imported in $(seconds "$large_ms") s," \
  "up to $WORKERS worker process(es) seen (exit $rc)"

# ------------------------------------------------------------------------- the window
# `dump-reader --db X FOLDER…` opens the window and imports the folders in the background. The
# window quits on SIGINT (its Ctrl+C handler closes it), so: start it, wait until the library
# holds every page, interrupt it, and expect exit status 0 and a clean stderr. Under X11 (a
# private Xvfb server) the time until the window is on screen is measured with xdotool.
WINDOW_SHOWN=""
gui_smoke() {  # platform, db, expected count
  local platform="$1" db="$2" want="$3" deadline got=0 rc=0 t0 ready_ms
  t0=$(now_ms)
  QT_QPA_PLATFORM="$platform" "$EXE" --db "$db" "$SAMPLE" "$TMP/large" \
    >"$TMP/gui-$platform.out" 2>"$TMP/gui-$platform.err" &
  GUI_PID=$!
  if [ "$platform" = xcb ] && command -v xdotool >/dev/null; then
    if timeout 30 xdotool search --sync --onlyvisible --name 'Dump Reader' >/dev/null 2>&1; then
      WINDOW_SHOWN="$(seconds $(( $(now_ms) - t0 ))) s"
      echo "check.sh: window (xcb): on screen $WINDOW_SHOWN after start"
    else
      fail "no visible 'Dump Reader' window on the X server"
    fi
  fi
  deadline=$(( t0 + 60000 ))
  while [ "$(now_ms)" -lt "$deadline" ] && kill -0 "$GUI_PID" 2>/dev/null; do
    got="$(documents_in "$db")"
    [ "$got" -ge "$want" ] && break
    sleep 0.2
  done
  ready_ms=$(( $(now_ms) - t0 ))
  sleep 1  # let the window take in the end of the import (status bar, list refresh)
  kill -INT "$GUI_PID" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$GUI_PID" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$GUI_PID" 2>/dev/null; then
    fail "the window ($platform) did not quit on SIGINT"; kill -KILL "$GUI_PID" || true
  fi
  wait "$GUI_PID" || rc=$?
  GUI_PID=""
  [ "$got" -ge "$want" ] || fail "the window ($platform) imported $got documents, not $want"
  [ "$rc" = 0 ] || fail "the window ($platform) exited with $rc"
  clean_stderr "$TMP/gui-$platform.err" "the window ($platform)"
  echo "check.sh: window ($platform): $got documents imported $(seconds "$ready_ms") s after start," \
    "exit $rc"
}
WANT=$(( 21 + LARGE ))
gui_smoke offscreen "$TMP/gui-offscreen.sqlite" "$WANT"

XVFB_PID=""
if command -v Xvfb >/dev/null && [ -z "${CHECK_NO_XVFB:-}" ]; then
  Xvfb -displayfd 3 -screen 0 1600x1000x24 -nolisten tcp 3>"$TMP/display" >"$TMP/xvfb.log" 2>&1 &
  XVFB_PID=$!
  for _ in $(seq 1 100); do [ -s "$TMP/display" ] && break; sleep 0.05; done
  if [ -s "$TMP/display" ]; then
    DISPLAY=":$(head -n1 "$TMP/display")" gui_smoke xcb "$TMP/gui-xcb.sqlite" "$WANT"
  else
    fail "Xvfb did not start: $(cat "$TMP/xvfb.log")"
  fi
  kill "$XVFB_PID" 2>/dev/null || true
  wait "$XVFB_PID" 2>/dev/null || true
  XVFB_PID=""
else
  echo "check.sh: Xvfb not found: the X11 (xcb) window check is skipped"
fi

# ---------------------------------------------------------------------------- summary
echo
echo "Dump Reader $VERSION bundle: $SIZE on disk ($FILES files), $PACKED as .tar.gz"
echo "  start time (--version): $(seconds "$best") s; first run $(seconds "$first") s"
echo "  imported: sample dump $SAMPLE_COUNT in $(seconds "$sample_ms") s;" \
  "$LARGE synthetic pages $LARGE_COUNT in $(seconds "$large_ms") s with up to $WORKERS workers"
[ -n "$WINDOW_SHOWN" ] && echo "  window on screen (X11, Xvfb): $WINDOW_SHOWN after start"
if [ "$FAILED" = 0 ]; then
  echo "check.sh: all checks passed"
else
  echo "check.sh: SOME CHECKS FAILED" >&2
fi
exit "$FAILED"
