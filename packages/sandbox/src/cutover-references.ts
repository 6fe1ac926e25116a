/**
 * How a team's workflow names cutover, mapped onto this checkout: `<owner>/cutover/actions/<name>@<ref>`
 * is `$/actions/<name>`, `<owner>/cutover/.github/workflows/<file>@<ref>` is this checkout's workflow,
 * `./.github/workflows/<file>` is the caller's own. The owner and ref are the team's pin; locally the
 * checkout at hand is what runs.
 */
const CUTOVER_ACTION = /^[\w.-]+\/cutover\/actions\/([a-z0-9-]+)@\S+$/;
const CUTOVER_WORKFLOW = /^[\w.-]+\/cutover\/\.github\/workflows\/([\w.-]+\.ya?ml)@\S+$/;
const LOCAL_WORKFLOW = /^\.\/\.github\/workflows\/([\w.-]+\.ya?ml)$/;

/** `$/actions/<name>` for a pinned cutover action reference, else the reference unchanged. */
export function localActionReference(uses: string): string {
  const match = CUTOVER_ACTION.exec(uses);
  return match ? `$/actions/${match[1]}` : uses;
}

/** Where a reusable workflow call resolves: cutover's workflows or the caller's own; undefined for any other repository. */
export function calledWorkflow(uses: string): { root: "cutover" | "workspace"; file: string } | undefined {
  const cutover = CUTOVER_WORKFLOW.exec(uses);
  if (cutover) return { root: "cutover", file: cutover[1] as string };
  const local = LOCAL_WORKFLOW.exec(uses);
  return local ? { root: "workspace", file: local[1] as string } : undefined;
}
