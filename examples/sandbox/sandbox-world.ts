// The sandbox world: everything a team's deployment reaches, on this machine. A team repository (a
// git checkout with its deploy script and migrations), the service's two colors (real HTTP
// servers), the router in front of them (real nginx when installed, else the front door driven by
// the `command` provider), a file ledger that remembers the release blue serves, and a SQLite
// database. Slack stays in preview: no token is given. What the example callers read from the
// world (repository variables, secrets) is written to two KEY=VALUE files for `cutover run`.
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { FileLedger } from "@cutover/ledger";
import { parse } from "yaml";
import { type DemoRouter, startDemoRouter } from "./demo-router.js";
import { type Color, type SampleFleet, startSampleFleet } from "./sample-fleet.js";

const root = new URL("../../", import.meta.url).pathname;

/** The environment the world is: the example callers' staging. */
export const WORLD_ENVIRONMENT = "staging";

/**
 * The team's deploy script, sandbox edition: it "starts" $CUTOVER_VERSION on the idle color by
 * writing the release file that color's server reads, as a restart would. A commit that adds
 * app/LEAKS is a release that leaks under user traffic.
 */
const DEPLOY_SCRIPT = `#!/usr/bin/env bash
set -euo pipefail
leaky=false
if [[ -f app/LEAKS ]]; then leaky=true; fi
mkdir -p releases
printf '{"version":"%s","leaky":%s}\\n' "$CUTOVER_VERSION" "$leaky" > "releases/$CUTOVER_COLOR.json.new"
mv "releases/$CUTOVER_COLOR.json.new" "releases/$CUTOVER_COLOR.json"
echo "registry token given: \${REGISTRY_TOKEN:+yes}"
`;

export interface SandboxWorld {
  /** The team's repository: the workspace of `cutover run --workspace`. */
  workspace: string;
  fleet: SampleFleet;
  router: DemoRouter;
  ledgerFile: string;
  databaseFile: string;
  /** The repository variables the example callers read. */
  vars: Record<string, string>;
  /** The secrets they read (no Slack token: Slack stays in preview). */
  secrets: Record<string, string>;
  /** KEY=VALUE files of `vars` and `secrets`, for --var-file and --secret-file. */
  varFile: string;
  secretFile: string;
  /** The commit blue serves, recorded in the ledger as a successful deployment. */
  firstRelease: string;
  /** Commits the workspace with `files` (path → content) written, as a push would; returns the new sha. */
  commit(message: string, files?: Record<string, string>): string;
  /** The version a color serves (its release file), undefined before any. */
  release(color: Color): string | undefined;
  /** deploy.yml's and rollback.yml's inputs for this world, as the example callers give them from `vars`. */
  workflowInputs(): Record<string, string>;
  /** Who answers the public URL now. */
  serving(): Promise<{ color: Color; version: string }>;
  close(): Promise<void>;
}

/** A deployment the ledger remembers from before the world started, all successful. */
export interface PastDeployment {
  version: string;
  color: Color;
  replacedColor?: Color;
}

export interface SandboxWorldOptions {
  /** What each color serves at the start. Default: blue serves the repository's first commit. */
  releases?: Partial<Record<Color, string>>;
  /** The color that takes traffic at the start. Default: blue. */
  live?: Color;
  /** The ledger's history, oldest first. Default: the first commit deployed to blue. */
  history?: PastDeployment[];
  /** The front door even when nginx is installed (the unit tier needs nothing installed). */
  frontDoor?: boolean;
  /** HAProxy as the router when it is installed (weights through its runtime API, no reload). */
  haproxy?: boolean;
  /** Staging moves traffic in these steps (STAGING_TRAFFIC_STEPS), each held STAGING_STEP_DURATION. */
  trafficSteps?: { steps: string; duration: string };
  /** How often staging's health gate probes, how long and how often its bake watches: short, so a local run takes seconds. */
  healthInterval?: string;
  bakeDuration?: string;
  bakeInterval?: string;
}

function git(workspace: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=Sandbox", "-c", "user.email=sandbox@example.invalid", ...args], {
    cwd: workspace,
    stdio: ["ignore", "pipe", "pipe"],
  })
    .toString()
    .trim();
}

/** A KEY=VALUE line per entry; values are single-line (a YAML block becomes its JSON form). */
function keyValueFile(path: string, entries: Record<string, string>): void {
  writeFileSync(
    path,
    Object.entries(entries)
      .map(([key, value]) => `${key}=${value}\n`)
      .join(""),
    { mode: 0o600 },
  );
}

/** Starts the world with blue serving the repository's first commit, recorded in the ledger. */
export async function startSandboxWorld(options: SandboxWorldOptions = {}): Promise<SandboxWorld> {
  const workspace = mkdtempSync(join(tmpdir(), "cutover-world-"));
  const state = join(workspace, ".cutover");
  mkdirSync(state);
  mkdirSync(join(workspace, "deploy"));
  writeFileSync(join(workspace, "deploy", "deploy.sh"), DEPLOY_SCRIPT);
  chmodSync(join(workspace, "deploy", "deploy.sh"), 0o755);
  cpSync(join(root, "examples", "sandbox", "migrations"), join(workspace, "db", "migrations"), { recursive: true });
  writeFileSync(join(workspace, ".gitignore"), "/.cutover/\n/releases/\n");
  git(workspace, "init", "--quiet", "--initial-branch=main");
  const commit = (message: string, files: Record<string, string> = {}) => {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(workspace, path)), { recursive: true });
      writeFileSync(join(workspace, path), content);
    }
    git(workspace, "add", "--all");
    git(workspace, "commit", "--quiet", "--allow-empty", "-m", message);
    return git(workspace, "rev-parse", "HEAD");
  };
  const firstRelease = commit("first release");

  mkdirSync(join(workspace, "releases"));
  for (const [color, version] of Object.entries(options.releases ?? { blue: firstRelease })) {
    writeFileSync(join(workspace, "releases", `${color}.json`), JSON.stringify({ version }));
  }
  const ledgerFile = join(state, "ledger.json");
  const ledger = new FileLedger(ledgerFile);
  for (const past of options.history ?? [{ version: firstRelease, color: "blue" }]) {
    const sha = past.version === firstRelease ? firstRelease : past.version.padEnd(40, "0");
    const record = await ledger.open({ environment: WORLD_ENVIRONMENT, payload: { ref: "refs/heads/main", sha, ...past } });
    await ledger.update(record.id, { state: "success" });
  }

  const fleet = await startSampleFleet(join(workspace, "releases"));
  let router: DemoRouter;
  try {
    router = await startDemoRouter(
      state,
      fleet.servers,
      options.live ?? "blue",
      options.frontDoor ? "front-door" : options.haproxy ? "haproxy" : undefined,
    );
  } catch (error) {
    await fleet.close();
    rmSync(workspace, { recursive: true, force: true });
    throw error;
  }

  const databaseFile = join(state, "app.db");
  const vars = {
    STAGING_ROUTER: JSON.stringify(parse(router.routerBlock)),
    STAGING_URL: router.publicUrl,
    STAGING_IDLE_URL: `${fleet.directUrl}/{color}`,
    STAGING_HEALTH_INTERVAL: options.healthInterval ?? "250ms",
    STAGING_BAKE_DURATION: options.bakeDuration ?? "3s",
    STAGING_BAKE_INTERVAL: options.bakeInterval ?? "500ms",
    CUTOVER_LEDGER: `file:${ledgerFile}`,
    ...(options.trafficSteps
      ? { STAGING_TRAFFIC_STEPS: options.trafficSteps.steps, STAGING_STEP_DURATION: options.trafficSteps.duration }
      : {}),
  };
  const secrets = { STAGING_DATABASE_URL: `sqlite:${databaseFile}`, REGISTRY_TOKEN: "sandbox-registry-token" };
  const varFile = join(state, "vars");
  const secretFile = join(state, "secrets");
  keyValueFile(varFile, vars);
  keyValueFile(secretFile, secrets);

  return {
    workspace,
    fleet,
    router,
    ledgerFile,
    databaseFile,
    vars,
    secrets,
    varFile,
    secretFile,
    firstRelease,
    commit,
    release(color) {
      const file = join(workspace, "releases", `${color}.json`);
      return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version : undefined;
    },
    workflowInputs: () => ({
      environment: WORLD_ENVIRONMENT,
      router: vars.STAGING_ROUTER,
      "public-url": vars.STAGING_URL,
      "idle-url": vars.STAGING_IDLE_URL,
      "deploy-command": "./deploy/deploy.sh",
      ledger: vars.CUTOVER_LEDGER,
    }),
    async serving() {
      const answer = (await (await fetch(router.publicUrl)).json()) as { version: string; color: Color };
      return { color: answer.color, version: answer.version };
    },
    async close() {
      await router.close();
      await fleet.close();
      rmSync(workspace, { recursive: true, force: true });
    },
  };
}
