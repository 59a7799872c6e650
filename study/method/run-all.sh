#!/bin/sh
# Runs issue 17's confirmation (study/method/README.md) in its declared order, resumable: pretrains pairs 7-11 with
# the study's recipe (study/confirmatory/pretrain-pairs.sh, into study/confirmatory/models/pair-N), then every
# pair's configuration and its ablations; after each configuration finishes (or stops), packs its record files into
# study/method/records/<name>.tar.gz. Run from the repository root after `mvn -B -DskipTests package`.
# Usage: study/method/run-all.sh [CONFIG-NAME ...]
set -e
M=study/method
J="java -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -jar symbiosis-cli/target/symbiosis.jar"
names=${*:-"pair-7 pair-8 pair-9 pair-10 pair-11 pair-7-ablations pair-8-ablations pair-9-ablations pair-10-ablations pair-11-ablations"}
for name in $names; do
  n=$(echo "$name" | sed 's/^pair-\([0-9]*\).*/\1/')
  study/confirmatory/pretrain-pairs.sh "$n"
  status=0
  $J experiment --config $M/$name.json --out $M/runs/$name || status=$?
  S=$M study/confirmatory/pack-records.sh "$name"
  [ $status = 0 ] || exit $status
done
