import { annotate, getState, info, saveState } from "./workflow-commands.js";

/** The state entry (GITHUB_STATE → STATE_secret-dirs in the post step) listing private temporary directories. */
const SECRET_DIRS = "secret-dirs";

/**
 * A callback that records each private temporary directory (an ssh key, a connection socket)
 * in the step's state the moment it exists. The state file is written at once, so the action's
 * `post:` step finds the directory even when the main step was killed before it could clean up.
 */
export function secretDirRecorder(): (dir: string) => void {
  const dirs: string[] = [];
  return (dir) => {
    dirs.push(dir);
    saveState(SECRET_DIRS, JSON.stringify(dirs));
  };
}

/** The directories the main step recorded; empty when it recorded none (or the state is not a list). */
export function recordedSecretDirs(): string[] {
  const raw = getState(SECRET_DIRS);
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter((dir): dir is string => typeof dir === "string") : [];
  } catch {
    return [];
  }
}

/** Runs an action's `post:` step: clean-up that reports what it did and never fails the job. */
export async function runPostStep(action: string, body: (log: (line: string) => void) => Promise<void>): Promise<void> {
  try {
    await body((line) => info(`${action} post: ${line}`));
  } catch (error) {
    annotate("warning", `${action} post: clean-up failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The `post:` step of an action that records private directories: removes what a killed main step left. */
export async function cleanUpRecordedDirs(action: string, remove: (dirs: string[]) => Promise<string[]>): Promise<void> {
  await runPostStep(action, async (log) => {
    for (const line of await remove(recordedSecretDirs())) log(line);
  });
}
