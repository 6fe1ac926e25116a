// Ratios of interleaved pairs: for each pair, cutover / peer; the median of those, with the range.

/** `{ median, min, max }` of cutover[i] / peer[i]. */
export function pairRatios(cutover, peer) {
  const ratios = cutover.map((value, i) => value / peer[i]).sort((a, b) => a - b);
  return { median: ratios[Math.floor(ratios.length / 2)], min: ratios[0], max: ratios.at(-1) };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** "1.05× (0.98–1.12)", marked against a target ratio. */
export function formatRatio(r, target) {
  const verdict = target === undefined ? "" : r.median <= target ? `  ✓ target ≤ ${target}×` : `  ✗ target ≤ ${target}×`;
  return `${r.median.toFixed(2)}× (${r.min.toFixed(2)}–${r.max.toFixed(2)})${verdict}`;
}

/** "1.03× (0.98–1.08)", marked whether the median is within `tolerance` of 1 (the two agree). */
export function formatAgreement(r, tolerance) {
  const agrees = Math.abs(r.median - 1) <= tolerance;
  return `${r.median.toFixed(2)}× (${r.min.toFixed(2)}–${r.max.toFixed(2)})  ${agrees ? "✓" : "✗"} target within ±${tolerance * 100}%`;
}
