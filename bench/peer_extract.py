"""The peer pipeline's extraction step, for bench/bench_pdf.py --ratios: PyMuPDF ``get_text``
over every page of the PDFs given (folders or files), as the peer's ``process_pdf`` does.
Runs in the venv of bench/peer_venv.sh (PyMuPDF is AGPL and never a dependency of the
package). Prints one JSON line: files, pages, characters."""

import json
import sys
from pathlib import Path

import pymupdf  # the peer's PDF library (bench venv only)


def main(args: list[str]) -> None:
    files = []
    for a in args:
        p = Path(a)
        files += sorted(p.glob("*.pdf")) if p.is_dir() else [p]
    pages = chars = 0
    for f in files:
        with pymupdf.open(f) as doc:
            for page in doc:
                chars += len(page.get_text())
                pages += 1
    print(json.dumps({"files": len(files), "pages": pages, "chars": chars}))


if __name__ == "__main__":
    main(sys.argv[1:])
