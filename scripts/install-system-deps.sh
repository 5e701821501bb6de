#!/usr/bin/env bash
# Debian packages the tests need: Chromium (browser tests, driven by Playwright through
# /usr/bin/chromium; no browser is ever downloaded), a CJK font for Chinese pages, Graphviz
# (`dot` lays out the lineage pictures server-side), Virtuoso (the heavyweight SPARQL server),
# and the independent RDF parsers the export tests read every export with: raptor's rapper
# (raptor2-utils) and Apache Jena's riot (libapache-jena-java, run from its jars:
# tests/rdf_tools.py). Installs only what is missing; needs root or sudo.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v virtuoso-t >/dev/null 2>&1 || need+=(virtuoso-opensource)
command -v dot >/dev/null 2>&1 || need+=(graphviz)
command -v rapper >/dev/null 2>&1 || need+=(raptor2-utils)
[ -f /usr/share/java/jena-cmds.jar ] || need+=(libapache-jena-java)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
# a CJK font, so Chinese pages render in the browser tests' screenshots
fc-list 2>/dev/null | grep -qiE 'wqy|noto.*cjk' || need+=(fonts-wqy-zenhei)
if [ ${#need[@]} -eq 0 ]; then
  echo "system packages present: chromium, virtuoso-opensource, graphviz, a CJK font, raptor2-utils, libapache-jena-java"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${need[@]}" >/dev/null
echo "installed: ${need[*]}"
