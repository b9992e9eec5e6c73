#!/bin/sh
# regen.sh rebuilds the embedded font subsets from Debian's Noto packages. Run it after
# changing any lang_*.go table (TestFontsCoverLabels fails until you do).
set -eu
if ! dpkg -s fonts-noto-core fonts-noto-cjk python3-fonttools >/dev/null 2>&1; then
	apt-get update
	apt-get install -y fonts-noto-core fonts-noto-cjk python3-fonttools
fi
exec /usr/bin/python3 "$(dirname "$0")/mkfonts.py"
