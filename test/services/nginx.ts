import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, waitForPort } from "./free-port.js";

/** A real nginx for e2e tests: its own prefix, config, pid file and logs in a temp dir. */
export interface NginxInstance {
  url: string;
  port: number;
  prefix: string;
  confFile: string;
  /** Included by the server block (conf.d/*.conf): the file a router manages. */
  upstreamFile: string;
  /** `nginx -t` and `nginx -s reload` aimed at this instance, for a router block. */
  testCommand: string;
  reloadCommand: string;
  errorLog(): string;
  stop(): Promise<void>;
}

export interface NginxOptions {
  /** Text of the upstream file nginx starts with: must define the upstream `upstreamName`. */
  upstream: string;
  upstreamName?: string;
  /** Extra directives inside `location /`. */
  locationExtra?: string;
}

export function findNginx(): string {
  for (const candidate of ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"]) if (existsSync(candidate)) return candidate;
  throw new Error("nginx is not installed: run `bash scripts/install-e2e-deps.sh` first");
}

/** Starts nginx in the foreground (`daemon off`, master + 1 worker) on 127.0.0.1 and a free port. */
export async function startNginx(options: NginxOptions): Promise<NginxInstance> {
  const nginx = findNginx();
  const prefix = mkdtempSync(join(tmpdir(), "cutover-nginx-"));
  for (const sub of ["conf.d", "tmp", "logs"]) mkdirSync(join(prefix, sub));
  const port = await freePort();
  const confFile = join(prefix, "nginx.conf");
  const upstreamFile = join(prefix, "conf.d", "app-upstream.conf");
  writeFileSync(upstreamFile, options.upstream);
  writeFileSync(
    confFile,
    `daemon off;
master_process on;
worker_processes 1;
user root;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log notice;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${prefix}/tmp/body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;
  # A glob, as in a stock nginx: the router's temporary files must not match it.
  include ${prefix}/conf.d/*.conf;
  server {
    listen 127.0.0.1:${port};
    keepalive_timeout 60s;
    location / {
      proxy_pass http://${options.upstreamName ?? "app"};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      ${options.locationExtra ?? ""}
    }
  }
}
`,
  );
  const base = `${nginx} -c ${confFile} -p ${prefix}/`;
  // Fail early with nginx's own words when the starting config is wrong.
  execFileSync(nginx, ["-c", confFile, "-p", `${prefix}/`, "-t", "-q"], { stdio: "pipe" });
  const child: ChildProcess = spawn(nginx, ["-c", confFile, "-p", `${prefix}/`], { stdio: ["ignore", "pipe", "pipe"] });
  let exited: string | undefined;
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.on("exit", (code, signal) => {
    exited = `nginx exited (${code ?? signal}): ${stderr}`;
  });
  const errorLog = () => {
    try {
      return readFileSync(join(prefix, "logs", "error.log"), "utf8");
    } catch {
      return "";
    }
  };
  await waitForPort(port, 10_000, () => exited && `${exited}\n${errorLog()}`);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    prefix,
    confFile,
    upstreamFile,
    testCommand: `${base} -t`,
    reloadCommand: `${base} -s reload`,
    errorLog,
    stop: async () => {
      if (!exited) {
        const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await gone;
        clearTimeout(timer);
      }
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}
