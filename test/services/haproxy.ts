import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, waitForPort } from "./free-port.js";

/** A real HAProxy for e2e tests: master-worker in the foreground, its config, socket and state file in a temp dir. */
export interface HaproxyInstance {
  url: string;
  port: number;
  dir: string;
  configFile: string;
  /** The stats socket with `level admin`: the router's admin-socket. */
  adminSocket: string;
  /** The `server-state-file` the config loads at start and reload. */
  stateFile: string;
  backend: string;
  /** One runtime API command, answered and closed. */
  call(command: string): Promise<string>;
  /** Graceful reload (SIGUSR2 to the master): resolves once a new worker answers on the socket. */
  reload(): Promise<void>;
  /** Stops HAProxy and starts it again with the same config (and state file). */
  restart(): Promise<void>;
  output(): string;
  stop(): Promise<void>;
}

export interface HaproxyOptions {
  /** Server name → address (`127.0.0.1:port`) in backend `app`. */
  servers: Record<string, string>;
  /** Servers that start in maintenance (`disabled`). */
  disabled?: readonly string[];
  backend?: string;
  /** Extra lines in the frontend, e.g. `http-request set-header x-cutover-public 1`. */
  frontendExtra?: string;
}

/** The `router` block that drives this instance's backend: servers `blue1` and `green1` (see startHaproxy's servers). */
export function haproxyRouterBlock(haproxy: HaproxyInstance): Record<string, unknown> {
  return {
    provider: "haproxy",
    "admin-socket": haproxy.adminSocket,
    backend: haproxy.backend,
    colors: { blue: ["blue1"], green: ["green1"] },
    "drain-timeout": "5s",
    "state-file": haproxy.stateFile,
  };
}

export function findHaproxy(): string {
  for (const candidate of ["/usr/sbin/haproxy", "/usr/local/sbin/haproxy", "/usr/bin/haproxy"]) if (existsSync(candidate)) return candidate;
  throw new Error("haproxy is not installed: run `bash scripts/install-e2e-deps.sh` first");
}

/** Sends one runtime API command to a socket and returns the answer. */
export function runtimeCall(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = "";
    const connection = createConnection(socket);
    connection.setEncoding("utf8");
    connection.setTimeout(5_000, () => connection.destroy(new Error(`no answer to '${command}'`)));
    connection.on("connect", () => connection.end(`${command}\n`));
    connection.on("data", (chunk: string) => {
      answer += chunk;
    });
    connection.on("error", reject);
    connection.on("close", (hadError) => {
      if (!hadError) resolve(answer);
    });
  });
}

/** Starts HAProxy 2.x on 127.0.0.1 and a free port, backend `app` with the given servers (roundrobin). */
export async function startHaproxy(options: HaproxyOptions): Promise<HaproxyInstance> {
  const haproxy = findHaproxy();
  const dir = mkdtempSync(join(tmpdir(), "cutover-haproxy-"));
  const port = await freePort();
  const backend = options.backend ?? "app";
  const adminSocket = join(dir, "admin.sock");
  const stateFile = join(dir, "server-state");
  const configFile = join(dir, "haproxy.cfg");
  const disabled = new Set(options.disabled ?? []);
  writeFileSync(
    configFile,
    `global
  stats socket ${adminSocket} mode 600 level admin
  # What the router's state-file writes; loaded at start and on every reload.
  server-state-file ${stateFile}
  pidfile ${join(dir, "haproxy.pid")}

defaults
  mode http
  option http-keep-alive
  timeout connect 5s
  timeout client 65s
  timeout server 65s
  timeout http-keep-alive 60s
  load-server-state-from-file global

frontend public
  bind 127.0.0.1:${port}
  default_backend ${backend}${options.frontendExtra ? `\n  ${options.frontendExtra}` : ""}

backend ${backend}
  balance roundrobin
${Object.entries(options.servers)
  .map(([name, address]) => `  server ${name} ${address}${disabled.has(name) ? " disabled" : ""}`)
  .join("\n")}
`,
  );
  execFileSync(haproxy, ["-c", "-q", "-f", configFile], { stdio: "pipe" });

  let child: ChildProcess;
  let exited: string | undefined;
  let output = "";
  const start = async () => {
    exited = undefined;
    // -W: master-worker, so SIGUSR2 reloads; -db: stay in the foreground.
    child = spawn(haproxy, ["-W", "-db", "-f", configFile], { stdio: ["ignore", "pipe", "pipe"] });
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    child.on("exit", (code, signal) => {
      exited = `haproxy exited (${code ?? signal}): ${output}`;
    });
    await waitForPort(port, 10_000, () => exited);
    await waitForSocket();
  };
  const waitForSocket = async (differentPid?: string) => {
    for (let i = 0; i < 200; i++) {
      if (exited) throw new Error(exited);
      const pid = await runtimeCall(adminSocket, "show info")
        .then((info) => /^Pid: (\d+)/m.exec(info)?.[1])
        .catch(() => undefined);
      if (pid && pid !== differentPid) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`haproxy's admin socket ${adminSocket} did not answer (a new worker)\n${output}`);
  };
  const stopProcess = async () => {
    if (exited) return;
    const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await gone;
    clearTimeout(timer);
  };
  await start();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dir,
    configFile,
    adminSocket,
    stateFile,
    backend,
    call: (command) => runtimeCall(adminSocket, command),
    reload: async () => {
      const before = /^Pid: (\d+)/m.exec(await runtimeCall(adminSocket, "show info"))?.[1];
      child.kill("SIGUSR2");
      await waitForSocket(before);
    },
    restart: async () => {
      await stopProcess();
      await start();
    },
    output: () => output,
    stop: async () => {
      await stopProcess();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
