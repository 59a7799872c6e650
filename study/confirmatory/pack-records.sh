#!/bin/sh
# Packs the record files of study/confirmatory/runs/NAME into study/confirmatory/records/NAME.tar.gz: everything
# `experiment --report-only` and the study's statistics read (records, per-item results, timings, configuration,
# provenance, the measured texts that `metrics --like-run` re-measures, hard examples), without checkpoints, the
# initial Student, the released synthetic data and the generation cache (about 60 % of a run folder's text: the
# whole study must stay under 50 MB), plots or the report. unpack-records.sh restores them.
set -e
S=${S:-study/confirmatory}  # the study's folder; S=study/method packs issue 17's runs
name=$1
[ -d $S/runs/$name ] || { echo "no run folder $S/runs/$name" >&2; exit 2; }
mkdir -p $S/records
(cd $S/runs && find "$name" -type f \
    ! -path '*/checkpoint-*' ! -path '*/initial-student/*' ! -path '*/plots/*' ! -name report.html \
    ! -name generation-cache.jsonl ! -name synthetic.jsonl ! -name '*.tmp' ! -name '.*' \
    | LC_ALL=C sort) > $S/records/.files
# run-config.json records the resolved (absolute) model paths: the packed copy names them relative to the
# repository root, so that no path of the machine that ran the study is committed
stage=$(mktemp -d)
(cd $S/runs && tar -cf - -T ../records/.files) | tar -C "$stage" -xf -
root=$(pwd)/
find "$stage" -name run-config.json -exec sed -i "s#$root##g" {} +
tar -C "$stage" -czf $S/records/$name.tar.gz --owner=0 --group=0 --mtime=2026-01-01 -T $S/records/.files
rm -rf "$stage" $S/records/.files
echo "$S/records/$name.tar.gz: $(du -h $S/records/$name.tar.gz | cut -f1)"
