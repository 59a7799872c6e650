#!/bin/sh
# Runs issue 17's confirmation (study/method/README.md) in its declared order, resumable: the study's runner
# (study/confirmatory/run-all.sh) with this folder's configurations: pairs 7-11 pretrained with the study's recipe
# (into study/confirmatory/models/pair-N), then every pair's configuration and its ablations, records packed into
# study/method/records/ after each. Run from the repository root after `mvn -B -DskipTests package`.
# Usage: study/method/run-all.sh [CONFIG-NAME ...]
set -e
S=study/method exec study/confirmatory/run-all.sh ${*:-pair-7 pair-8 pair-9 pair-10 pair-11 pair-7-ablations \
    pair-8-ablations pair-9-ablations pair-10-ablations pair-11-ablations}
