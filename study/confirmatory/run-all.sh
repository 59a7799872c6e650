#!/bin/sh
# Runs a study in its declared order, resumable (also on another machine, from the packed records): pretrains each
# configuration's pair (pretrain-pairs.sh; pair 1 is the embedded default), runs the configuration, and after it
# finishes (or stops) packs its record files into $S/records/<name>.tar.gz (committed; no checkpoints, no plots).
# Run from the repository root after `mvn -B -DskipTests package`.
# Usage: study/confirmatory/run-all.sh [CONFIG-NAME ...]
# S is the study's folder (default study/confirmatory: docs/protocol.md); study/method/run-all.sh sets it for
# issue 17's confirmation. Configuration names start with pair-N.
set -e
S=${S:-study/confirmatory}
J="java -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -jar symbiosis-cli/target/symbiosis.jar"
names=${*:-"pair-2 pair-3 pair-4 pair-5 pair-6 pair-2-exploratory pair-3-exploratory pair-4-exploratory"}
for name in $names; do
  n=$(echo "$name" | sed 's/^pair-\([0-9]*\).*/\1/')
  [ "$n" = 1 ] || study/confirmatory/pretrain-pairs.sh "$n"
  # a run folder lost with the machine it ran on resumes from its packed records: finished strategies are kept
  if [ ! -d $S/runs/$name ] && [ -f $S/records/$name.tar.gz ]; then
    S=$S study/confirmatory/unpack-records.sh "$name"
  fi
  # an ablation configuration takes the units it shares with its pair's main run (same run seed and settings)
  reuse=
  case "$name" in
    *-ablations)
      base=${name%-ablations}
      if [ ! -d $S/runs/$base ] && [ -f $S/records/$base.tar.gz ]; then
        S=$S study/confirmatory/unpack-records.sh "$base"
      fi
      [ -d $S/runs/$base ] && reuse="--reuse-units-from $S/runs/$base";;
  esac
  status=0
  $J experiment --config $S/$name.json --out $S/runs/$name $reuse || status=$?
  S=$S study/confirmatory/pack-records.sh "$name"
  [ $status = 0 ] || exit $status
done
