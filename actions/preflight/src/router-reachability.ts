import { ConfigError, type ConfigIssue, inputVariable, type Redactor } from "@cutover/core";
import { readInputs, secretDirRecorder } from "@cutover/runner";
import { openRouter, type Router } from "@cutover/traffic";
import { blueGreenSwap } from "../../blue-green-swap/src/inputs.js";

export interface RouterCheck {
  /** The workflow's inputs; only `router` is read. */
  inputs: Record<string, string>;
  /** The secrets that reach the router: ssh-key, ssh-known-hosts, router-env. */
  secrets: Record<string, string | undefined>;
  redactor: Redactor;
  signal: AbortSignal;
  /** Where an ssh key is written while the router is open (RUNNER_TEMP). */
  tempDir: string | undefined;
}

/**
 * Asks the router for its status the way the router step and the swap will — the swap's own
 * input schema, openRouter, status() — read-only: nothing is switched or written. A wrong host,
 * socket path or upstream file, or a failing status command, stops the run here, before the
 * ledger, Slack, the database or traffic. An ssh key is written to a private directory that
 * close() removes in the finally (and the post step, should this step be killed).
 */
export async function checkRouterReachable(check: RouterCheck): Promise<ConfigIssue[]> {
  const block = check.inputs.router;
  if (!block) return [];
  const env: NodeJS.ProcessEnv = { [inputVariable("mode")]: "status", [inputVariable("router")]: block };
  for (const name of ["ssh-key", "ssh-known-hosts", "router-env"]) {
    const value = check.secrets[name];
    if (value) env[inputVariable(name)] = value;
  }
  const swap = readInputs(blueGreenSwap, check.redactor, env);
  let router: Router | undefined;
  try {
    router = await openRouter(swap.router, swap, {
      signal: check.signal,
      ...(check.tempDir ? { tempDir: check.tempDir } : {}),
      onSecretDir: secretDirRecorder(),
    });
    const active = await router.status({ signal: check.signal });
    if (active) return [];
    return [
      {
        input: "router",
        path: "",
        given: `${router.describe()}, which has no active color`,
        expected:
          "a router that sends traffic to blue or green: the run deploys to the idle color. If the path is right and this is the first deployment, switch once to the color serving now (blue-green-swap with to: blue or green)",
      },
    ];
  } catch (error) {
    // ssh-known-hosts and ssh-key problems are named by the router's own checks.
    if (error instanceof ConfigError) return error.issues;
    check.signal.throwIfAborted();
    return [
      {
        input: "router",
        path: "",
        given: router ? router.describe() : `a ${swap.router.provider} router block`,
        expected: `a router that answers its status from this runner, read-only (it got: ${firstAndLast((error as Error).message)})`,
      },
    ];
  } finally {
    await router?.close();
  }
}

/** A failure's first line and, when it printed more, its last: the command and what it said. */
function firstAndLast(message: string): string {
  const lines = message
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  const [first = "", ...rest] = lines;
  const last = rest.at(-1);
  return last ? `${first} … ${last}` : first;
}
