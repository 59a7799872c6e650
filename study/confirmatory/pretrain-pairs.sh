#!/bin/sh
# Pretrains the (Generator 0, Student 0) pairs of the study into study/confirmatory/models/pair-N, from the
# embedded seed split with the embedded tokenizer: the embedded default's recipe (docs/calibration.md) with
# --seed N. Run from the repository root after `mvn -B -DskipTests package`. Resumable: a finished checkpoint is
# left as it is, an interrupted one continues where it stopped. Usage: pretrain-pairs.sh [N ...] (default 2 3 4 5 6)
set -e
A=symbiosis-assets/src/main/resources/dev/symbiosis/assets
J="java -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -jar symbiosis-cli/target/symbiosis.jar"
for n in ${*:-2 3 4 5 6}; do
  d=study/confirmatory/models/pair-$n
  $J pretrain --threads 1 --corpus $A/bundle/seed.jsonl.gz --tokenizer $A/models/student-0/tokenizer.json \
      --out $d/student-0 --d-model 128 --n-layer 4 --n-head 4 --steps 450 --lr 2e-3 --seed $n \
      --domains sotu,austen,bible
  $J pretrain --threads 1 --corpus $A/bundle/seed.jsonl.gz --tokenizer $A/models/student-0/tokenizer.json \
      --out $d/generator-0 --d-model 192 --n-layer 4 --n-head 4 --steps 450 --lr 2e-3 --seed $n
done
