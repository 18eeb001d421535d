#!/bin/bash
# The full-budget examples, end to end: pretrain Anneal's 256-token bases on Brown (a GPT and a BERT-style
# encoder), fine-tune each on SpamAssassin (examples/spam-full.yaml), fine-tune the same architectures from
# scratch with the same budget, and print the TF-IDF + logistic-regression baseline on the same split.
# Minutes on a GPU; hours on lavapipe. ANNEAL picks the command (default: pnpm -s anneal), PYTHON the
# interpreter with scikit-learn (default: /usr/bin/python3), OUT where the runs go (default: runs/full).
set -euo pipefail
ANNEAL=${ANNEAL:-pnpm -s anneal}
PYTHON=${PYTHON:-/usr/bin/python3}
OUT=${OUT:-runs/full}
SPAM=${SPAM:-}   # --data.source.kind=jsonl --data.source.path=… to read an exported copy of the dataset
BASE_ARGS="--vocab 3072 --layers 4 --heads 4 --embd 192 --context 256 --batch-size 16 --seed 42"
mkdir -p "$OUT"

$ANNEAL pretrain --out bases/gpt-brown-256 $BASE_ARGS --steps ${GPT_STEPS:-1000} --lr 2e-3 ${PRETRAIN_FLAGS:-} > "$OUT/pretrain-gpt.log" 2>&1 &
$ANNEAL pretrain --arch encoder --out bases/encoder-brown-256 $BASE_ARGS --steps ${ENCODER_STEPS:-1000} --lr 1e-3 ${PRETRAIN_FLAGS:-} > "$OUT/pretrain-encoder.log" 2>&1 &
wait
tail -n 3 "$OUT"/pretrain-*.log

$ANNEAL init --like bases/gpt-brown-256 --out "$OUT/scratch-gpt" --seed 42
$ANNEAL init --like bases/encoder-brown-256 --out "$OUT/scratch-encoder" --seed 42
declare -A BASE=([gpt]=bases/gpt-brown-256 [encoder]=bases/encoder-brown-256 [scratch-gpt]=$OUT/scratch-gpt [scratch-encoder]=$OUT/scratch-encoder)
for name in ${RUNS:-gpt encoder scratch-gpt scratch-encoder}; do
  $ANNEAL train examples/spam-full.yaml --name=spam-$name --model.base=${BASE[$name]} --output.dir="$OUT/runs" $SPAM ${TRAIN_FLAGS:-} > "$OUT/spam-$name.log" 2>&1 &
done
wait
for f in "$OUT"/spam-*.log; do echo "== $f"; grep -E '^(test|val)/(f1|accuracy|rocAuc) ' "$f" || tail -n 5 "$f"; done
run=$(ls -d "$OUT"/runs/spam-gpt-* | head -n 1)
"$PYTHON" scripts/baseline_tfidf.py "$run" | tee "$OUT/baseline.log"
