import { outputTail } from "@cutover/core";
import type { Host } from "../host.js";
import type { NginxRouterConfig } from "./nginx-schema.js";

/** The first nginx with `keepalive_min_timeout` (an old worker answers `Connection: close` instead of resetting). */
const KEEPALIVE_MIN_TIMEOUT_SINCE = [1, 27, 4] as const;

/** nginx's version and whether the running config sets keepalive_min_timeout. */
export interface NginxKeepaliveFacts {
  version: string | undefined;
  /** Only looked up on nginx ≥ 1.27.4. */
  keepaliveMinTimeout?: boolean;
}

/**
 * `test-command` with its `-t` swapped for `flag`, so version and config dump ask the same nginx
 * (same binary, `-c`, `-p`, container or host) as the switch tests; `nginx <flag>` otherwise.
 */
function nginxWith(testCommand: string, flag: "-v" | "-T"): string {
  return /(^|\s)-t(\s|$)/.test(testCommand) ? testCommand.replace(/(^|\s)-t(\s|$)/, `$1${flag}$2`) : `nginx ${flag}`;
}

/** Asks nginx for its version and, where it has the directive, whether keepalive_min_timeout is set. */
export async function readKeepaliveFacts(
  host: Host,
  config: Pick<NginxRouterConfig, "test-command" | "command-timeout">,
): Promise<NginxKeepaliveFacts> {
  const timeoutMs = config["command-timeout"];
  const versionRun = await host.exec(`${nginxWith(config["test-command"], "-v")} 2>&1`, { timeoutMs });
  const version = /nginx\/(\d+\.\d+\.\d+)/.exec(outputTail(versionRun, 4))?.[1];
  if (!version || !atLeast(version, KEEPALIVE_MIN_TIMEOUT_SINCE)) return { version };
  const dump = await host.exec(`${nginxWith(config["test-command"], "-T")} 2>/dev/null`, { timeoutMs });
  const set = dump.stdout.split("\n").some((line) => /^\s*keepalive_min_timeout\s+[^;\s]+\s*;/.test(line.replace(/#.*/, "")));
  return { version, keepaliveMinTimeout: set };
}

/** The warning a switch carries for these facts, or undefined when nginx closes idle connections cleanly. */
export function keepaliveWarning(facts: NginxKeepaliveFacts): string | undefined {
  const since = KEEPALIVE_MIN_TIMEOUT_SINCE.join(".");
  if (facts.version === undefined) {
    return `could not read nginx's version; if it is older than ${since}, clients holding idle keep-alive connections may see a connection reset at this reload (a client that does not retry, e.g. a POST, gets an error). provider: haproxy switches without a reload.`;
  }
  if (facts.keepaliveMinTimeout === undefined) {
    return `nginx ${facts.version} has no keepalive_min_timeout (${since}+): clients holding idle keep-alive connections may see a connection reset at this reload (a client that does not retry, e.g. a POST, gets an error). provider: haproxy switches through its runtime API without a reload.`;
  }
  if (!facts.keepaliveMinTimeout) {
    return `nginx ${facts.version} supports keepalive_min_timeout but the config does not set it: an idle keep-alive connection may be reset at this reload. Add \`keepalive_min_timeout 1s;\` to the http or server block that proxies to the upstream, so retiring workers answer \`Connection: close\` instead.`;
  }
  return undefined;
}

function atLeast(version: string, minimum: readonly number[]): boolean {
  const parts = version.split(".").map(Number);
  for (let i = 0; i < minimum.length; i++) {
    const a = parts[i] ?? 0;
    const b = minimum[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}
