#!/bin/bash
# SpamAssassin read whole (examples/spam-chunks.yaml: every 256-token window of an e-mail, at most 4, predictions
# pooled over the windows), fine-tuned from the shipped encoder base in two stages of 320 steps of 16 windows —
# the second continues from the first's best model at half the learning rate with a fresh linear decay — then
# the TF-IDF + logistic-regression baseline on the very same split. Model selection is on validation only (best
# validation F1, restored at the end of each stage). Budget: 640 steps of 16 windows (10,240 windows, about one
# pass over the 11,893 training windows); about 1 h 15 min on this repo's 2-core machine through lavapipe,
# minutes on a GPU.
# ADAPT=N first adapts the base to e-mail (examples/spam-adapt.yaml: N steps of 16 windows of its masked-LM
# objective on the training split's text only, no labels) and fine-tunes from the adapted base; about 8 s a step
# on lavapipe. BASE picks the base (default: bases/encoder-brown-256). ANNEAL picks the command (default:
# pnpm -s anneal), PYTHON the interpreter with scikit-learn (default: /usr/bin/python3), OUT where the runs go
# (default: runs/chunks).
set -euo pipefail
ANNEAL=${ANNEAL:-pnpm -s anneal}
PYTHON=${PYTHON:-/usr/bin/python3}
OUT=${OUT:-runs/chunks}
BASE=${BASE:-bases/encoder-brown-256}
mkdir -p "$OUT"

if [ -n "${ADAPT:-}" ]; then
  $ANNEAL train examples/spam-adapt.yaml --name=spam-adapt --model.base="$BASE" --model.task=masked-lm \
    --train.batchSize=16 --train.maxSteps="$ADAPT" --output.dir="$OUT" ${ADAPT_FLAGS:-} | tee "$OUT/adapt.log"
  BASE=$(ls -d "$OUT"/spam-adapt-*/model | tail -n 1)
fi
$ANNEAL train examples/spam-chunks.yaml --name=spam-chunks-1 --model.base="$BASE" --output.dir="$OUT" \
  ${TRAIN_FLAGS:-} | tee "$OUT/stage1.log"
first=$(ls -d "$OUT"/spam-chunks-1-* | tail -n 1)
$ANNEAL train examples/spam-chunks.yaml --name=spam-chunks-2 --model.base="$first/model" --optim.lr=2.5e-4 \
  --schedule.warmupSteps=10 --output.dir="$OUT" ${TRAIN_FLAGS:-} | tee "$OUT/stage2.log"
second=$(ls -d "$OUT"/spam-chunks-2-* | tail -n 1)
"$PYTHON" scripts/baseline_tfidf.py "$second" | tee "$OUT/baseline.log"
