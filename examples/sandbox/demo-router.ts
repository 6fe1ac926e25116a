import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderUpstreamFile } from "@cutover/traffic";
import { stringify } from "yaml";
import { findHaproxy, haproxyRouterBlock, startHaproxy } from "../../test/services/haproxy.js";
import { findNginx, startNginx } from "../../test/services/nginx.js";
import { startFrontDoor } from "./front-door.js";
import { type Color, PUBLIC_HEADER } from "./sample-fleet.js";

/** The router the demo deploys through: what users hit, and the `router` block that drives it. */
export interface DemoRouter {
  kind: "nginx" | "haproxy" | "front door";
  publicUrl: string;
  routerBlock: string;
  /** The front door's color file, which the `command` provider writes and the front door follows. */
  stateFile?: string;
  close(): Promise<void>;
}

function installed(find: () => string): boolean {
  try {
    find();
    return true;
  } catch {
    return false;
  }
}

/** Whether HAProxy is there to move traffic in steps without a reload. */
export const haproxyInstalled = () => installed(findHaproxy);

/** Which router the demo would like: CUTOVER_DEMO_ROUTER=haproxy|front-door, else nginx. */
function preferredRouter(): "nginx" | "haproxy" | "front-door" {
  const wanted = process.env.CUTOVER_DEMO_ROUTER;
  return wanted === "haproxy" || wanted === "front-door" ? wanted : "nginx";
}

/**
 * Real nginx when it is installed (or HAProxy with `prefer: "haproxy"`, or CUTOVER_DEMO_ROUTER=haproxy);
 * otherwise, or with `prefer: "front-door"`, the front door driven by the `command` provider, its
 * state file in `stateDir`.
 */
export async function startDemoRouter(
  stateDir: string,
  servers: Record<Color, string>,
  live: Color,
  prefer: "nginx" | "haproxy" | "front-door" = preferredRouter(),
): Promise<DemoRouter> {
  if (prefer === "haproxy" && haproxyInstalled()) {
    const haproxy = await startHaproxy({
      servers: { blue1: servers.blue, green1: servers.green },
      disabled: [live === "blue" ? "green1" : "blue1"],
      frontendExtra: `http-request set-header ${PUBLIC_HEADER} 1`,
    });
    const routerBlock = stringify(haproxyRouterBlock(haproxy));
    return { kind: "haproxy", publicUrl: haproxy.url, routerBlock, close: () => haproxy.stop() };
  }
  if (prefer !== "front-door" && installed(findNginx)) {
    const colors = { blue: [servers.blue], green: [servers.green] };
    const nginx = await startNginx({
      upstream: renderUpstreamFile({ "upstream-name": "app", colors }, live),
      locationExtra: `proxy_set_header ${PUBLIC_HEADER} 1;`,
    });
    const routerBlock = [
      "provider: nginx",
      `upstream-file: ${nginx.upstreamFile}`,
      "colors:",
      `  blue: ["${servers.blue}"]`,
      `  green: ["${servers.green}"]`,
      `test-command: ${nginx.testCommand}`,
      `reload-command: ${nginx.reloadCommand}`,
    ].join("\n");
    return { kind: "nginx", publicUrl: nginx.url, routerBlock, close: () => nginx.stop() };
  }
  const stateFile = join(stateDir, "front-door.color");
  writeFileSync(stateFile, live);
  const door = await startFrontDoor(stateFile, servers);
  const routerBlock = [
    "provider: command",
    // Written aside and renamed: the front door never reads a half-written file.
    `switch-command: printf '%s' "$CUTOVER_COLOR" > '${stateFile}.new' && mv '${stateFile}.new' '${stateFile}'`,
    `status-command: cat '${stateFile}'`,
  ].join("\n");
  return { kind: "front door", publicUrl: door.url, routerBlock, stateFile, close: () => door.close() };
}
