// issue 16: switches under load from clients that never retry. Per provider (HAProxy through its
// runtime API, nginx through a graceful reload), SWITCHES switches at RATE requests/s with fetch
// (undici) over keep-alive, GET and POST separately, providers interleaved per round; prints sent
// and failed for each. nginx ≥ 1.27.4 is run with and without keepalive_min_timeout; older nginx
// has no such directive and is printed as measured. Needs haproxy and nginx
// (bash scripts/install-e2e-deps.sh). Run: npm run bench -- traffic-switch
// Env: SWITCHES (20), RATE (300), EVERY_MS (300), ROUNDS (1).
import { execFileSync } from "node:child_process";
import { createRouter, type Router, renderUpstreamFile, routerSchema } from "@cutover/traffic";
import { findHaproxy, haproxyRouterBlock, startHaproxy } from "../test/services/haproxy.js";
import { findNginx, startNginx } from "../test/services/nginx.js";
import { type SwitchLoadResult, switchUnderLoad } from "../test/services/switch-under-load.js";
import { startTwoColorApps } from "../test/services/two-color-app.js";

const SWITCHES = Number(process.env.SWITCHES ?? 20);
const RATE = Number(process.env.RATE ?? 300);
const EVERY_MS = Number(process.env.EVERY_MS ?? 300);
const ROUNDS = Number(process.env.ROUNDS ?? 1);

const versionText = execFileSync("sh", ["-c", `${findNginx()} -v 2>&1`], { encoding: "utf8" }).trim();
const [, major, minor, patch] = (/nginx\/(\d+)\.(\d+)\.(\d+)/.exec(versionText) ?? []).map(Number);
const hasKeepaliveMin = (major ?? 0) * 1_000_000 + (minor ?? 0) * 1_000 + (patch ?? 0) >= 1_027_004;

const apps = await startTwoColorApps();
const haproxy = await startHaproxy({ servers: { blue1: apps.blue.address, green1: apps.green.address }, disabled: ["green1"] });

interface Subject {
  name: string;
  url: string;
  router: Router;
  stop: () => Promise<void>;
}

async function haproxySubject(): Promise<Subject> {
  const router = await createRouter(routerSchema.parse(haproxyRouterBlock(haproxy)));
  return { name: `haproxy ${haproxyVersion()}`, url: haproxy.url, router, stop: () => router.close() };
}

async function nginxSubject(keepaliveMin: boolean): Promise<Subject> {
  const nginx = await startNginx({
    upstream: renderUpstreamFile({ "upstream-name": "app", colors: apps.colors }, "blue"),
    ...(keepaliveMin ? { locationExtra: "keepalive_min_timeout 1s;" } : {}),
  });
  const router = await createRouter(
    routerSchema.parse({
      provider: "nginx",
      "upstream-file": nginx.upstreamFile,
      colors: apps.colors,
      "test-command": nginx.testCommand,
      "reload-command": nginx.reloadCommand,
    }),
  );
  const label = /nginx\/[\d.]+/.exec(versionText)?.[0] ?? "nginx";
  return {
    name: `${label}${keepaliveMin ? " + keepalive_min_timeout 1s" : ""}`,
    url: nginx.url,
    router,
    stop: async () => {
      await router.close();
      await nginx.stop();
    },
  };
}

function haproxyVersion(): string {
  return /HAProxy version ([\d.]+)/.exec(execFileSync(findHaproxy(), ["-v"], { encoding: "utf8" }))?.[1] ?? "";
}

const rows: (SwitchLoadResult & { subject: string })[] = [];
const makers = [() => haproxySubject(), () => nginxSubject(false), ...(hasKeepaliveMin ? [() => nginxSubject(true)] : [])];
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const method of ["GET", "POST"] as const) {
      for (const make of makers) {
        const subject = await make();
        try {
          const result = await switchUnderLoad({
            url: subject.url,
            method,
            rate: RATE,
            switches: SWITCHES,
            switchEveryMs: EVERY_MS,
            router: subject.router,
          });
          rows.push({ ...result, subject: subject.name });
          console.log(
            `${subject.name.padEnd(40)} ${method.padEnd(4)} sent ${result.sent}  skipped ${result.skipped}  failed ${result.failed}  ${JSON.stringify(result.errors)}  (${result.switches} switches, ${result.rate} req/s)`,
          );
        } finally {
          await subject.stop();
        }
      }
    }
  }
} finally {
  await haproxy.stop();
  await apps.close();
}

console.log(`\n${SWITCHES} switches at ${RATE} req/s, ${ROUNDS} round(s), fetch over keep-alive, no retries`);
console.log("| router | method | sent | not sent (client at its cap) | failed | failure reasons |\n| --- | --- | --- | --- | --- | --- |");
const key = (r: (typeof rows)[number]) => `${r.subject}|${r.method}`;
for (const k of [...new Set(rows.map(key))]) {
  const group = rows.filter((r) => key(r) === k);
  const sent = group.reduce((n, r) => n + r.sent, 0);
  const failed = group.reduce((n, r) => n + r.failed, 0);
  const skipped = group.reduce((n, r) => n + r.skipped, 0);
  const reasons: Record<string, number> = {};
  for (const r of group) for (const [reason, n] of Object.entries(r.errors)) reasons[reason] = (reasons[reason] ?? 0) + n;
  console.log(
    `| ${group[0]?.subject} | ${group[0]?.method} | ${sent} | ${skipped} | ${failed} | ${
      Object.entries(reasons)
        .map(([r, n]) => `${r} ×${n}`)
        .join(", ") || "—"
    } |`,
  );
}
if (!hasKeepaliveMin) console.log(`\n${versionText}: keepalive_min_timeout needs nginx ≥ 1.27.4, not measured here.`);
