#!/bin/sh
# Fetch the pinned @viz-js/viz (Graphviz compiled to WebAssembly, MIT) into viz/web/vendor/.
#
# The pages inline dist/viz-global.js (one classic script, its wasm inlined as base64) to lay
# a graph out in the browser when Python has no Graphviz `dot` (viz/browser_layout.py).
# To move to another version: change VERSION, run this script, then put the sha256 it
# prints into VIZJS_SHA256 in viz/browser_layout.py (tests/test_viz_browser_layout.py
# checks the file against it) and the version into the LICENSE file's first line.
#
#   VERSION=3.31.0  npm tarball sha256  7dc0189874849cca2fed7cbe88bf334cd0e6e012db16657794a812ad6f2b8c70
#                   viz-global.js sha256 c9e0b310f9883910e01c66054b48b7ff4be3d8695141116635e72b0af152692e
set -eu
VERSION=${VERSION:-3.31.0}
HERE=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm pack --silent "@viz-js/viz@$VERSION" >/dev/null
tar xzf "viz-js-viz-$VERSION.tgz"
cp package/dist/viz-global.js "$HERE/viz/web/vendor/viz-global.js"
sha256sum "viz-js-viz-$VERSION.tgz" "$HERE/viz/web/vendor/viz-global.js"
