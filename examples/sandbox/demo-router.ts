import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderUpstreamFile } from "@cutover/traffic";
import { findNginx, startNginx } from "../../test/services/nginx.js";
import { startFrontDoor } from "./front-door.js";
import { type Color, PUBLIC_HEADER } from "./sample-fleet.js";

/** The router the demo deploys through: what users hit, and the `router` block that drives it. */
export interface DemoRouter {
  kind: "nginx" | "front door";
  publicUrl: string;
  routerBlock: string;
  /** The front door's color file, which the `command` provider writes and the front door follows. */
  stateFile?: string;
  close(): Promise<void>;
}

function nginxInstalled(): boolean {
  try {
    findNginx();
    return true;
  } catch {
    return false;
  }
}

/**
 * Real nginx when it is installed (unless `frontDoor` or CUTOVER_DEMO_ROUTER=front-door); otherwise
 * the front door driven by the `command` provider, its state file in `stateDir`.
 */
export async function startDemoRouter(
  stateDir: string,
  servers: Record<Color, string>,
  live: Color,
  options: { frontDoor?: boolean } = {},
): Promise<DemoRouter> {
  if (!options.frontDoor && nginxInstalled() && process.env.CUTOVER_DEMO_ROUTER !== "front-door") {
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
