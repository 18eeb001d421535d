#!/bin/bash
# SpamAssassin read whole (examples/spam-chunks.yaml: every 256-token window of an e-mail, at most 4, predictions
# pooled over the windows), fine-tuned from the shipped encoder base in two stages of 320 steps of 16 windows —
# the second continues from the first's best model at half the learning rate with a fresh linear decay — then
# the TF-IDF + logistic-regression baseline on the very same split. Model selection is on validation only (best
# validation F1, restored at the end of each stage). Budget: 640 steps of 16 windows (10,240 windows, about one
# pass over the 11,893 training windows); about 1 h 15 min on this repo's 2-core machine through lavapipe,
# minutes on a GPU. ANNEAL picks the command (default: pnpm -s anneal), PYTHON the interpreter with
# scikit-learn (default: /usr/bin/python3), OUT where the runs go (default: runs/chunks).
set -euo pipefail
ANNEAL=${ANNEAL:-pnpm -s anneal}
PYTHON=${PYTHON:-/usr/bin/python3}
OUT=${OUT:-runs/chunks}
mkdir -p "$OUT"

$ANNEAL train examples/spam-chunks.yaml --name=spam-chunks-1 --output.dir="$OUT" ${TRAIN_FLAGS:-} | tee "$OUT/stage1.log"
first=$(ls -d "$OUT"/spam-chunks-1-* | tail -n 1)
$ANNEAL train examples/spam-chunks.yaml --name=spam-chunks-2 --model.base="$first/model" --optim.lr=2.5e-4 \
  --schedule.warmupSteps=10 --output.dir="$OUT" ${TRAIN_FLAGS:-} | tee "$OUT/stage2.log"
second=$(ls -d "$OUT"/spam-chunks-2-* | tail -n 1)
"$PYTHON" scripts/baseline_tfidf.py "$second" | tee "$OUT/baseline.log"
