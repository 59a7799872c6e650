#!/bin/sh
# Restores study/confirmatory/runs/NAME from records/NAME.tar.gz (every NAME when none is given), so that
# `experiment --config study/confirmatory/NAME.json --out study/confirmatory/runs/NAME --report-only` regenerates
# the report and statistics.
set -e
S=${S:-study/confirmatory}  # the study's folder; S=study/method unpacks issue 17's runs
mkdir -p $S/runs
if [ $# = 0 ]; then set -- $(cd $S/records && ls *.tar.gz | sed 's/\.tar\.gz$//'); fi
for name in "$@"; do
  tar -C $S/runs -xzf $S/records/$name.tar.gz
done
