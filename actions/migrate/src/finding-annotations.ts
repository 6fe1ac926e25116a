import { join } from "node:path";
import type { LintFinding } from "@cutover/migrations";
import type { Logger } from "@cutover/runner";

/**
 * One annotation per finding, on the file and line of the statement (shown inline in pull requests).
 * `refused` findings are errors when `refusedAsErrors` (mode lint); accepted ones are only logged.
 */
export function annotateFindings(
  log: Logger,
  dir: string,
  file: string,
  findings: readonly LintFinding[],
  refused: ReadonlySet<LintFinding>,
  refusedAsErrors: boolean,
): void {
  const path = join(dir, file);
  for (const f of findings) {
    const text = `${f.statement}: ${f.reason} [${f.rule}]`;
    if (f.acceptedBecause !== undefined) {
      log.info(`⚠ ${f.class} accepted by marker (${f.acceptedBecause}): ${path} line ${f.line}: ${text}`);
      continue;
    }
    const properties = { title: `migrate: ${f.class} (${f.rule})`, file: path, startLine: f.line };
    const message = `${file} line ${f.line}: ${text}. ${f.class === "contract" ? "How to split" : "Safe way"}: ${f.fix}`;
    if (refusedAsErrors && refused.has(f)) log.error(message, properties);
    else log.warning(message, properties);
  }
}
