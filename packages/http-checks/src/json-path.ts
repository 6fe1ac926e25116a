/**
 * Reads a value with a JSONPath-style path: `$`, `$.a.b`, `$.items[0].id`, `$["odd key"]`,
 * `$.items[-1]` (from the end). Only single values: no wildcards or filters.
 */
export function readJsonPath(root: unknown, path: string): { found: boolean; value?: unknown } {
  const steps = parseJsonPath(path);
  let node: unknown = root;
  for (const step of steps) {
    if (typeof step === "number") {
      if (!Array.isArray(node)) return { found: false };
      const index = step < 0 ? node.length + step : step;
      if (index < 0 || index >= node.length) return { found: false };
      node = node[index];
    } else {
      if (node === null || typeof node !== "object" || Array.isArray(node) || !Object.hasOwn(node, step)) {
        return { found: false };
      }
      node = (node as Record<string, unknown>)[step];
    }
  }
  return { found: true, value: node };
}

const STEP = /\.([A-Za-z_$][\w$-]*)|\[(-?\d+)\]|\[(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\]/y;

/** Splits a path into keys and indexes; throws on anything it does not understand. */
export function parseJsonPath(path: string): (string | number)[] {
  if (!path.startsWith("$")) throw new SyntaxError(`JSON path '${path}' must start with $`);
  const steps: (string | number)[] = [];
  STEP.lastIndex = 1;
  while (STEP.lastIndex < path.length) {
    const start = STEP.lastIndex;
    const match = STEP.exec(path);
    if (!match) throw new SyntaxError(`JSON path '${path}' is not understood at position ${start}`);
    const [, key, index, doubleQuoted, singleQuoted] = match;
    if (key !== undefined) steps.push(key);
    else if (index !== undefined) steps.push(Number(index));
    else steps.push((doubleQuoted ?? singleQuoted ?? "").replace(/\\(.)/g, "$1"));
  }
  return steps;
}
