#!/bin/bash
# SpamAssassin with domain-adaptive pretraining: adapt each shipped base to e-mail on the training split's text
# (examples/spam-adapt.yaml: masked LM for the encoder, causal LM for the GPT), then fine-tune a classifier from
# each adapted base (examples/spam-full.yaml, head-and-tail windows), beside the encoder base fine-tuned directly
# with the same budget. ANNEAL picks the command (default: pnpm -s anneal), OUT where the runs go (default:
# runs/dapt); GPT_BASE and ENCODER_BASE the bases (default: the shipped 256-token ones; e.g. a bigger base from
# `anneal pretrain`); ADAPT_FLAGS and TRAIN_FLAGS add overrides to the two stages; SPAM as in examples/full.sh.
set -euo pipefail
ANNEAL=${ANNEAL:-pnpm -s anneal}
OUT=${OUT:-runs/dapt}
SPAM=${SPAM:-}
GPT_BASE=${GPT_BASE:-bases/gpt-brown-256}
ENCODER_BASE=${ENCODER_BASE:-bases/encoder-brown-256}
TRUNC="--data.truncation.keep=head-tail --data.truncation.headTokens=128"
mkdir -p "$OUT"

$ANNEAL train examples/spam-adapt.yaml --name=adapt-encoder --model.base=$ENCODER_BASE --model.task=masked-lm \
  --output.dir="$OUT/runs" $SPAM ${ADAPT_FLAGS:-} > "$OUT/adapt-encoder.log" 2>&1 &
$ANNEAL train examples/spam-adapt.yaml --name=adapt-gpt --model.base=$GPT_BASE --model.task=causal-lm \
  --output.dir="$OUT/runs" $SPAM ${ADAPT_FLAGS:-} > "$OUT/adapt-gpt.log" 2>&1 &
wait
tail -n 4 "$OUT"/adapt-*.log

declare -A BASE=(
  [dapt-encoder]=$(ls -d "$OUT"/runs/adapt-encoder-*/model | tail -n 1)
  [dapt-gpt]=$(ls -d "$OUT"/runs/adapt-gpt-*/model | tail -n 1)
  [encoder]=$ENCODER_BASE
)
for name in ${RUNS:-dapt-encoder dapt-gpt encoder}; do
  $ANNEAL train examples/spam-full.yaml --name=spam-$name --model.base=${BASE[$name]} --output.dir="$OUT/runs" \
    $TRUNC $SPAM ${TRAIN_FLAGS:-} > "$OUT/spam-$name.log" 2>&1 &
done
wait
for f in "$OUT"/spam-*.log; do echo "== $f"; grep -E '^(test|val)/(f1|accuracy|rocAuc) ' "$f" || tail -n 5 "$f"; done
