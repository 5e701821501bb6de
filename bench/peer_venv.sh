#!/usr/bin/env bash
# The peer pipeline's text extraction (PyMuPDF get_text), in a venv of its own for
# bench/bench_pdf.py --ratios. PyMuPDF is AGPL: it lives only in this bench venv, never in
# mandategraph's dependencies. Version: the peer's uv.lock pin (1.26.7,
# ../shared/docs/peer-pipeline-measured.md). Usage: bench/peer_venv.sh [VENV_DIR]
set -euo pipefail
venv="${1:-$(dirname "$0")/.peer-venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import pymupdf" 2>/dev/null; then
  "$venv/bin/pip" install -q "pymupdf==1.26.7"
fi
"$venv/bin/python" -c "import pymupdf; print(pymupdf.__doc__.split(':')[0])"
