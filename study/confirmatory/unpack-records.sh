#!/bin/sh
# Restores study/confirmatory/runs/NAME from records/NAME.tar.gz (every NAME when none is given). Run from the
# repository root. The packed run-config.json files name the model folders relative to the repository root; they
# are made absolute again (as the runner writes them), so that
# `experiment --config study/confirmatory/NAME.json --out study/confirmatory/runs/NAME --report-only` regenerates the
# report and statistics, and so that the same command without --report-only resumes the run: strategies whose
# records reach the last iteration are kept, the others are run again from the start (their checkpoints are not
# packed). run-all.sh does this by itself for a configuration that has packed records but no run folder.
set -e
S=${S:-study/confirmatory}  # the study's folder; S=study/method unpacks issue 17's runs
mkdir -p $S/runs
if [ $# = 0 ]; then set -- $(cd $S/records && ls *.tar.gz | sed 's/\.tar\.gz$//'); fi
root=$(pwd)/
for name in "$@"; do
  tar -C $S/runs -xzf $S/records/$name.tar.gz
  find $S/runs/$name -name run-config.json -exec sed -i "s#\"\(study/[^\"]*\)\"#\"$root\1\"#g" {} +
done
