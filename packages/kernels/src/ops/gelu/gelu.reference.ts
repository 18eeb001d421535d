// float64 references for GELU (tanh form).
const S = Math.sqrt(2 / Math.PI);

export function geluRef(x: Float64Array): Float64Array {
  return x.map((v) => 0.5 * v * (1 + Math.tanh(S * (v + 0.044715 * v ** 3))));
}

export function geluBackwardRef(x: Float64Array, dout: Float64Array): Float64Array {
  return x.map((v, i) => {
    const th = Math.tanh(S * (v + 0.044715 * v ** 3));
    return (0.5 * (1 + th) + 0.5 * v * (1 - th * th) * S * (1 + 3 * 0.044715 * v * v)) * dout[i];
  });
}

/** erf to ~1e-15: Taylor series below |x| = 3, a continued fraction for erfc above. */
export function erf(x: number): number {
  const a = Math.abs(x);
  if (a < 3) {
    let term = a;
    let sum = a;
    for (let n = 1; n < 100; n++) {
      term *= (-a * a) / n;
      const t = term / (2 * n + 1);
      sum += t;
      if (Math.abs(t) < 1e-17 * Math.abs(sum)) break;
    }
    return Math.sign(x) * ((2 / Math.sqrt(Math.PI)) * sum);
  }
  // erfc(a) = exp(-a²)/√π · 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + 2/(a + …))))), evaluated from the tail.
  let f = a;
  for (let k = 60; k >= 1; k--) f = a + k / 2 / f;
  const erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}

/** The erf form, x·Φ(x) (BERT's gelu). */
export function geluExactRef(x: Float64Array): Float64Array {
  return x.map((v) => 0.5 * v * (1 + erf(v / Math.SQRT2)));
}

export function geluExactBackwardRef(x: Float64Array, dout: Float64Array): Float64Array {
  return x.map(
    (v, i) =>
      (0.5 * (1 + erf(v / Math.SQRT2)) + (v * Math.exp(-0.5 * v * v)) / Math.sqrt(2 * Math.PI)) * dout[i],
  );
}
