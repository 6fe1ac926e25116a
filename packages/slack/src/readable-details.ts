import { stringify } from "yaml";

interface CheckEntry {
  name?: unknown;
  ok?: unknown;
  status?: unknown;
  attempts?: unknown;
  "latency-ms"?: unknown;
  failures?: { assertion?: unknown; measured?: unknown; expected?: unknown }[];
}

/**
 * `details` as a person reads them. A cutover `report` (JSON) becomes a list: smoke checks one
 * line each (✓/✗, what was measured against what was expected), anything else as indented
 * `key: value` lines. Text that is not JSON is shown as it is.
 */
export function readableDetails(text: string): string {
  let report: unknown;
  try {
    report = JSON.parse(text);
  } catch {
    return text;
  }
  if (report === null || typeof report !== "object") return text;
  const { checks, ...rest } = report as { checks?: unknown };
  const lines: string[] = [];
  if (Array.isArray(checks)) lines.push(...(checks as CheckEntry[]).map(checkLine));
  const remaining = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== null && value !== undefined));
  if (Object.keys(remaining).length > 0) lines.push(stringify(remaining, { lineWidth: 0 }).trimEnd());
  return lines.join("\n");
}

function checkLine(check: CheckEntry): string {
  const name = String(check.name ?? "check");
  if (check.ok === true) {
    const latency = typeof check["latency-ms"] === "number" ? `, ${check["latency-ms"]} ms` : "";
    return `✓ ${name} (${check.status ?? "?"}${latency})`;
  }
  const failures = (check.failures ?? []).map((f) => `${f.assertion}: ${f.measured}, expected ${f.expected}`).join("; ");
  const attempts = typeof check.attempts === "number" && check.attempts > 1 ? ` after ${check.attempts} attempts` : "";
  return `✗ ${name}${attempts}: ${failures || `status ${check.status ?? "none"}`}`;
}
