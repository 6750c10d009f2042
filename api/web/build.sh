#!/bin/sh
# build.sh copies the vendored front-end files the page needs from
# node_modules (installed by `npm ci`) into dist/, which the Go package
# embeds. Nothing is bundled: the page's own code is plain ES modules in
# static/. dist/ is committed, so building the binary needs no network; run
# this only after changing package-lock.json: `make web` (npm ci && ./build.sh).
# dist/VERSIONS records what was copied; a test checks it against the lock.
set -eu
cd "$(dirname "$0")"

nm=node_modules
if [ ! -d "$nm/@gouvfr/dsfr/dist" ] || [ ! -d "$nm/leaflet/dist" ] || [ ! -d "$nm/leaflet.markercluster/dist" ]; then
	echo "build.sh: node_modules incomplet, lancer d'abord: npm ci" >&2
	exit 1
fi

out=dist
# Keep the committed placeholder, replace everything else.
find "$out" -mindepth 1 ! -name README.txt -exec rm -rf {} + 2>/dev/null || true
mkdir -p "$out/dsfr/utility/icons" "$out/leaflet" "$out/markercluster"

# DSFR: the stylesheet, the fonts it references (url(fonts/...)), the icon
# classes (url(../../icons/...)) with their SVGs, the JS and the favicons.
dsfr=$nm/@gouvfr/dsfr/dist
cp "$dsfr/dsfr.min.css" "$dsfr/dsfr.module.min.js" "$dsfr/dsfr.nomodule.min.js" "$out/dsfr/"
cp -R "$dsfr/fonts" "$dsfr/icons" "$dsfr/favicon" "$out/dsfr/"
cp "$dsfr/utility/icons/icons.min.css" "$out/dsfr/utility/icons/"
cp "$nm/@gouvfr/dsfr/LICENSE.md" "$out/dsfr/" 2>/dev/null || true

# Leaflet and its marker clusters: UMD builds (global L), loaded on demand
# when the user opens the map.
cp "$nm/leaflet/dist/leaflet.js" "$nm/leaflet/dist/leaflet.css" "$out/leaflet/"
cp -R "$nm/leaflet/dist/images" "$out/leaflet/"
cp "$nm/leaflet/LICENSE" "$out/leaflet/" 2>/dev/null || true
mc=$nm/leaflet.markercluster/dist
cp "$mc/leaflet.markercluster.js" "$mc/MarkerCluster.css" "$mc/MarkerCluster.Default.css" "$out/markercluster/"
cp "$nm/leaflet.markercluster/MIT-LICENCE.txt" "$out/markercluster/" 2>/dev/null || true

# Source maps stay out: the binary embeds what the browser runs.
find "$out" -name '*.map' -delete

# What was copied, from the installed packages (the test compares it with
# package-lock.json, so a lock change without a rebuild fails).
for p in @gouvfr/dsfr leaflet leaflet.markercluster; do
	v=$(node -p "require('./$nm/$p/package.json').version")
	echo "$p $v"
done > "$out/VERSIONS"
echo "build.sh: $(find "$out" -type f | wc -l) fichiers dans $out ($(du -sh "$out" | cut -f1))"
