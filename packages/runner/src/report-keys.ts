/**
 * Maps keyed by the user's or a platform's own names (HTTP headers, Prometheus labels, traffic
 * weights by color, workflow settings): their keys are data, passed through as they are.
 */
const DATA_MAPS = new Set(["headers", "labels", "scope", "weights", "previous-weights", "settings", "env"]);

/**
 * The `report` output is a public interface and names things as the outputs do, in kebab-case
 * (`latency-ms`, `active-color`), whatever the engines call them in TypeScript (`latencyMs`).
 * Converting once at the boundary keeps the engines' types idiomatic and every report consistent.
 */
export function reportKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reportKeys);
  if (value === null || typeof value !== "object") return value;
  const toJSON = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof toJSON === "function") return reportKeys(toJSON.call(value));
  const entries = Object.entries(value as Record<string, unknown>).map(([key, item]) => {
    const name = kebabCase(key);
    return [name, DATA_MAPS.has(name) ? item : reportKeys(item)] as const;
  });
  return Object.fromEntries(entries);
}

/** `latencyMs` → `latency-ms`, `p99Ms` → `p99-ms`; a key already in kebab-case stays as it is. */
export function kebabCase(key: string): string {
  if (!/^[a-z][a-zA-Z0-9]*$/.test(key)) return key;
  return key.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}
