#!/usr/bin/env bash
# Tools the benchmarks need beyond the Python dependencies (Debian packages).
# wrk: HTTP load generator used by bench/bench_endpoint.py (loopback only).
set -euo pipefail
if ! command -v wrk >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq wrk
fi
