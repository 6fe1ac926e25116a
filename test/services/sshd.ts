import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, waitForPort } from "./free-port.js";

/** A real sshd on 127.0.0.1 that lets root in with a key the test generated. */
export interface SshdInstance {
  host: "127.0.0.1";
  port: number;
  user: "root";
  /** The client's private key (OpenSSH format), as a user would put it in a secret. */
  privateKey: string;
  /** The known_hosts line for this server: `[127.0.0.1]:<port> ssh-ed25519 …`. */
  knownHosts: string;
  log(): string;
  stop(): Promise<void>;
}

const SSHD = "/usr/sbin/sshd";

function keygen(file: string): void {
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "cutover-e2e", "-f", file], { stdio: "pipe" });
}

/** Generates host and user keys in a temp dir and runs `sshd -D` with a config of its own. */
export async function startSshd(): Promise<SshdInstance> {
  if (!existsSync(SSHD)) throw new Error("sshd is not installed: run `bash scripts/install-e2e-deps.sh` first");
  if (process.getuid?.() !== 0) throw new Error("the sshd e2e service logs in as root and must run as root");
  const dir = mkdtempSync(join(tmpdir(), "cutover-sshd-"));
  keygen(join(dir, "host_ed25519"));
  keygen(join(dir, "user_ed25519"));
  writeFileSync(join(dir, "authorized_keys"), readFileSync(join(dir, "user_ed25519.pub")), { mode: 0o600 });
  // sshd refuses to start without its privilege separation directory.
  mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  const port = await freePort();
  const config = join(dir, "sshd_config");
  writeFileSync(
    config,
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${join(dir, "host_ed25519")}`,
      `PidFile ${join(dir, "sshd.pid")}`,
      `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
      "PermitRootLogin prohibit-password",
      "PubkeyAuthentication yes",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      // The temp dir lives under /tmp, which StrictModes would reject as world-writable.
      "StrictModes no",
      "PrintMotd no",
      "MaxSessions 50",
      "MaxStartups 50",
      "",
    ].join("\n"),
  );
  execFileSync(SSHD, ["-t", "-f", config], { stdio: "pipe" });
  const child: ChildProcess = spawn(SSHD, ["-D", "-e", "-f", config], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  let exited: string | undefined;
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.on("exit", (code, signal) => {
    exited = `sshd exited (${code ?? signal}): ${output}`;
  });
  await waitForPort(port, 10_000, () => exited);
  const hostKey = readFileSync(join(dir, "host_ed25519.pub"), "utf8").trim().split(/\s+/).slice(0, 2).join(" ");
  return {
    host: "127.0.0.1",
    port,
    user: "root",
    privateKey: readFileSync(join(dir, "user_ed25519"), "utf8"),
    knownHosts: `[127.0.0.1]:${port} ${hostKey}\n`,
    log: () => output,
    stop: async () => {
      if (!exited) {
        const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
        child.kill("SIGTERM");
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
