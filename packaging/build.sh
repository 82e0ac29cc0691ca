#!/usr/bin/env bash
# Build the one-folder Linux bundle: packaging/dist/dump-reader/dump-reader.
#
# Uses the current Python (`python3` on PATH, so an activated venv's; or $PYTHON), which must
# have the project's dependencies (`pip install .` from the checkout does it). PyInstaller is
# installed into that Python when it is missing. The bundle is built from the checkout's
# sources (src/), whatever version of the package is installed.
#
#   packaging/build.sh            build, print the size
#   packaging/build.sh --archive  also write packaging/dist/dump-reader-VERSION-linux-ARCH.tar.gz
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
PYTHON="${PYTHON:-$(command -v python3 || command -v python)}"
DIST="$HERE/dist"
WORK="$HERE/build"
ARCHIVE=0
for arg in "$@"; do
  case "$arg" in
    --archive) ARCHIVE=1 ;;
    -h | --help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

# The version comes from the package, and only from there.
VERSION="$(cd "$ROOT/src" && "$PYTHON" -c 'import reader; print(reader.__version__)')"

if ! "$PYTHON" -c 'import PySide6.QtWidgets, sqlite_utils, platformdirs, charset_normalizer, tqdm, rapidfuzz, ahocorasick' 2>/dev/null; then
  echo "build.sh: $PYTHON lacks the project's dependencies; install them with" >&2
  echo "  $PYTHON -m pip install '$ROOT'" >&2
  exit 1
fi
if ! "$PYTHON" -c 'import PyInstaller' 2>/dev/null; then
  echo "build.sh: installing PyInstaller into $PYTHON"
  "$PYTHON" -m pip install --quiet 'pyinstaller>=6.0'
fi

# The story grouping's compiled parts (the page summary, the comparison of pairs, the ranking
# of candidates), built in place when src/ lacks them or has them older than their sources (an
# editable install builds them there; `pip install .` elsewhere): the bundle is made from src/.
# Without a compiler the bundle does the same work in Python and NumPy, slower.
EXT_SUFFIX="$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')"
INCLUDE="$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')"
for name in _summary _pairs _index; do
  source="$ROOT/src/reader/stories/$name.c"
  built="$ROOT/src/reader/stories/$name$EXT_SUFFIX"
  [ "$built" -nt "$source" ] && continue  # there, and newer than its source
  if "${CC:-cc}" -shared -fPIC -O2 -I"$INCLUDE" "$source" -o "$built"; then
    echo "build.sh: built $(basename "$built")"
  else
    echo "build.sh: WARNING: could not compile src/reader/stories/$name.c; the bundle will do without" >&2
  fi
done

echo "build.sh: Dump Reader $VERSION with $("$PYTHON" -m PyInstaller --version | sed 's/^/PyInstaller /') on $("$PYTHON" -V)"
SECONDS=0
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$DIST" --workpath "$WORK" "$HERE/reader.spec"
elapsed=$SECONDS

BUNDLE="$DIST/dump-reader"
test -x "$BUNDLE/dump-reader"
size=$(du -sh "$BUNDLE" | cut -f1)
files=$(find "$BUNDLE" -type f | wc -l)
modules=$("$PYTHON" -c 'import ast, sys; print(len(ast.literal_eval(open(sys.argv[1]).read())[1]))' \
  "$WORK/reader/PYZ-00.toc" 2>/dev/null || echo '?')
echo "build.sh: built $BUNDLE in ${elapsed} s: $size, $files files, $modules Python modules"

if [ "$ARCHIVE" = 1 ]; then
  tarball="$DIST/dump-reader-$VERSION-linux-$(uname -m).tar.gz"
  tar -C "$DIST" -czf "$tarball" dump-reader
  echo "build.sh: archive $tarball: $(du -sh "$tarball" | cut -f1)"
fi
