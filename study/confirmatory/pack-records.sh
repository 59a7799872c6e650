#!/bin/sh
# Packs the record files of study/confirmatory/runs/NAME into study/confirmatory/records/NAME.tar.gz: everything
# `experiment --report-only` and the study's statistics read (records, per-item results, timings, configuration,
# provenance, synthetic and measured texts, hard examples), without checkpoints, the initial Student, the
# generation cache, plots or the report. unpack-records.sh restores them.
set -e
S=study/confirmatory
name=$1
[ -d $S/runs/$name ] || { echo "no run folder $S/runs/$name" >&2; exit 2; }
mkdir -p $S/records
(cd $S/runs && find "$name" -type f \
    ! -path '*/checkpoint-*' ! -path '*/initial-student/*' ! -path '*/plots/*' ! -name report.html \
    ! -name generation-cache.jsonl ! -name '*.tmp' ! -name '.*' | LC_ALL=C sort) > $S/records/.files
tar -C $S/runs -czf $S/records/$name.tar.gz --owner=0 --group=0 --mtime=2026-01-01 -T $S/records/.files
rm $S/records/.files
echo "$S/records/$name.tar.gz: $(du -h $S/records/$name.tar.gz | cut -f1)"
