#!/bin/sh
# Runs the whole study in the protocol's order (docs/protocol.md), resumable: pretrains the pairs, then every
# pair's confirmatory configuration, then the exploratory ones; after each configuration finishes (or stops), packs
# its record files into records/<name>.tar.gz (committed; no checkpoints, no plots). Run from the repository root
# after `mvn -B -DskipTests package`. Usage: study/confirmatory/run-all.sh [CONFIG-NAME ...]
set -e
S=study/confirmatory
J="java -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -jar symbiosis-cli/target/symbiosis.jar"
names=${*:-"pair-2 pair-3 pair-4 pair-5 pair-6 pair-2-exploratory pair-3-exploratory pair-4-exploratory"}
for name in $names; do
  n=$(echo "$name" | sed 's/^pair-\([0-9]*\).*/\1/')
  [ "$n" = 1 ] || $S/pretrain-pairs.sh "$n"
  status=0
  $J experiment --config $S/$name.json --out $S/runs/$name || status=$?
  $S/pack-records.sh "$name"
  [ $status = 0 ] || exit $status
done
