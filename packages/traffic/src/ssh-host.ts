import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { ConfigError, type ConfigIssue, outputTail, type ProcessResult, runProcess } from "@cutover/core";
import type { ExecOptions, Host } from "./host.js";
import { RouterError } from "./router-error.js";
import type { RouterContext } from "./router-provider.js";
import { shellQuote } from "./shell-quote.js";
import type { SshConfig } from "./ssh-schema.js";

export interface SshCredentials {
  /** A private key (OpenSSH or PEM text); without it ssh uses the agent. */
  privateKey?: string;
  /** known_hosts lines for the host. */
  knownHosts?: string;
  /** Where the key and the connection socket live while the router is open. */
  tempDir?: string;
  /** Told the private directory before the key is written, so a post step can remove it if this process is killed. */
  onSecretDir?: (dir: string) => void;
}

/**
 * Opens the `ssh:` block of a router with the `ssh-key` / `ssh-known-hosts` secrets; refuses
 * before connecting when no known_hosts line was given: host keys are always checked.
 */
export async function openSshHost(ssh: SshConfig, context: RouterContext): Promise<SshHost> {
  if (!context.knownHosts?.trim()) {
    throw ConfigError.single({
      input: "ssh-known-hosts",
      path: "",
      expected: `the known_hosts line(s) of ${ssh.host} (e.g. from \`ssh-keyscan -p ${ssh.port} ${ssh.host}\` run on a network you trust), because router.ssh always checks host keys`,
    });
  }
  return SshHost.open(ssh, {
    ...(context.sshKey ? { privateKey: context.sshKey } : {}),
    ...(context.knownHosts ? { knownHosts: context.knownHosts } : {}),
    ...(context.tempDir ? { tempDir: context.tempDir } : {}),
    ...(context.onSecretDir ? { onSecretDir: context.onSecretDir } : {}),
  });
}

/** The private directory of one ssh connection: `<tempDir>/cutover-ssh-XXXXXX`. */
export const SSH_DIR_PREFIX = "cutover-ssh-";

/** What ssh exits with when it could not connect or authenticate (not the remote command's code). */
const SSH_FAILED = 255;
/** `readFile` exits with this when the file does not exist. */
const ABSENT = 3;

/**
 * A machine reached with the system ssh client. One multiplexed connection (ControlMaster)
 * carries every command of a switch, so a switch costs one handshake, not four.
 */
export class SshHost implements Host {
  readonly label: string;
  private closed = false;

  private constructor(
    private readonly config: SshConfig,
    private readonly dir: string,
    private readonly options: string[],
  ) {
    this.label = `${config.user ? `${config.user}@` : ""}${config.host}:${config.port}`;
  }

  /** Writes the key and known_hosts to a private temporary directory; `close()` removes it. */
  static async open(config: SshConfig, credentials: SshCredentials): Promise<SshHost> {
    const dir = await mkdtemp(join(credentials.tempDir ?? tmpdir(), SSH_DIR_PREFIX));
    try {
      credentials.onSecretDir?.(dir);
      return await SshHost.prepare(config, credentials, dir);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  private static async prepare(config: SshConfig, credentials: SshCredentials, dir: string): Promise<SshHost> {
    const knownHostsFile = join(dir, "known_hosts");
    await writeFile(knownHostsFile, normalize(credentials.knownHosts ?? ""), { mode: 0o600 });
    const options = [
      // Only what the router block says: no ~/.ssh/config surprises on a self-hosted runner.
      "-F",
      "none",
      "-o",
      "BatchMode=yes",
      "-o",
      `ConnectTimeout=${Math.max(1, Math.ceil(config["connect-timeout"] / 1000))}`,
      "-o",
      "StrictHostKeyChecking=yes",
      "-o",
      `UserKnownHostsFile=${knownHostsFile}`,
      "-o",
      "ServerAliveInterval=5",
      "-o",
      "ServerAliveCountMax=3",
      "-o",
      "ControlMaster=auto",
      "-o",
      `ControlPath=${join(dir, "cm")}`,
      "-o",
      "ControlPersist=60",
      "-p",
      String(config.port),
    ];
    if (credentials.privateKey) {
      const keyFile = join(dir, "id");
      await writeFile(keyFile, normalize(credentials.privateKey), { mode: 0o600 });
      await assertUsableKey(keyFile);
      options.push("-i", keyFile, "-o", "IdentitiesOnly=yes");
    }
    if (config.user) options.push("-l", config.user);
    return new SshHost(config, dir, options);
  }

  private async ssh(remoteCommand: string, options: ExecOptions & { input?: string }): Promise<ProcessResult> {
    if (this.closed) throw new Error(`ssh connection to ${this.label} is closed`);
    const result = await runProcess("ssh", [...this.options, this.config.host, "--", remoteCommand], {
      ...options,
      timeoutMs: options.timeoutMs + this.config["connect-timeout"],
    });
    if (result.exitCode === SSH_FAILED) {
      const hostKeyProblem = hostKeyIssue(result.stderr, this.config);
      if (hostKeyProblem) throw ConfigError.single(hostKeyProblem);
      throw new RouterError(`ssh to ${this.label} failed: ${outputTail(result, 4) || "exit 255"}`, {
        step: "ssh",
        exitCode: SSH_FAILED,
        output: outputTail(result),
        unchanged: true,
      });
    }
    return result;
  }

  async readFile(path: string, signal?: AbortSignal): Promise<string | undefined> {
    const p = shellQuote(path);
    const result = await this.ssh(`if [ -e ${p} ]; then cat -- ${p}; else exit ${ABSENT}; fi`, {
      timeoutMs: 30_000,
      ...(signal ? { signal } : {}),
    });
    if (result.exitCode === ABSENT) return undefined;
    if (result.exitCode !== 0) throw new Error(`reading ${path} on ${this.label} failed: ${outputTail(result, 4)}`);
    return result.stdout;
  }

  async writeFileAtomic(path: string, content: string): Promise<void> {
    // `$$` (the remote shell's pid) stays outside the quotes so the shell expands it.
    const temp = `${shellQuote(join(dirname(path), `.${basename(path)}.cutover-`))}$$.tmp`;
    const p = shellQuote(path);
    // Keep the mode of the file being replaced; remove the temporary file on any failure.
    const script = [
      "set -e",
      `t=${temp}`,
      `trap 'rm -f "$t"' EXIT`,
      "umask 022",
      `cat > "$t"`,
      `if [ -e ${p} ]; then chmod --reference=${p} "$t" 2>/dev/null || true; fi`,
      `mv -f "$t" ${p}`,
      "trap - EXIT",
    ].join("\n");
    const result = await this.ssh(script, { timeoutMs: 30_000, input: content });
    if (result.exitCode !== 0) throw new Error(`writing ${path} on ${this.label} failed: ${outputTail(result, 4)}`);
  }

  async removeFile(path: string): Promise<void> {
    const result = await this.ssh(`rm -f -- ${shellQuote(path)}`, { timeoutMs: 30_000 });
    if (result.exitCode !== 0) throw new Error(`removing ${path} on ${this.label} failed: ${outputTail(result, 4)}`);
  }

  exec(command: string, options: ExecOptions): Promise<ProcessResult> {
    const exports = Object.entries(options.env ?? {})
      .map(([name, value]) => `export ${name}=${shellQuote(value)}; `)
      .join("");
    return this.ssh(`${exports}${command}`, options);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Ends the shared connection now rather than after ControlPersist.
    await runProcess("ssh", [...this.options, "-O", "exit", this.config.host], { timeoutMs: 5_000 }).catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** ssh rejects a key without its final newline, and CRLF from a pasted secret. */
function normalize(text: string): string {
  const unix = text.replace(/\r\n/g, "\n").trim();
  return unix === "" ? "" : `${unix}\n`;
}

/**
 * Refuses a key ssh could not use in batch mode, before connecting: a passphrase cannot be typed
 * on a runner, and "Permission denied (publickey)" would not say why.
 */
async function assertUsableKey(keyFile: string): Promise<void> {
  const check = await runProcess("ssh-keygen", ["-y", "-P", "", "-f", keyFile], { timeoutMs: 10_000 }).catch(() => undefined);
  if (!check || check.exitCode === 0) return;
  if (/passphrase/i.test(check.stderr)) {
    throw ConfigError.single({
      input: "ssh-key",
      path: "",
      given: "a private key protected by a passphrase",
      expected:
        "a key without a passphrase: ssh runs without a terminal (BatchMode) and cannot ask for one. Use a deploy key of its own, or remove the passphrase from a copy with `ssh-keygen -p -N '' -f KEYFILE`",
    });
  }
  // The output names only the temporary file; the key itself is never quoted.
  throw ConfigError.single({
    input: "ssh-key",
    path: "",
    given: "text ssh-keygen cannot read as a private key",
    expected: "an OpenSSH or PEM private key, the whole file including its BEGIN and END lines",
  });
}

/** ssh's words for a host key it would not trust, turned into what to fix in `ssh-known-hosts`. */
function hostKeyIssue(stderr: string, config: SshConfig): ConfigIssue | undefined {
  if (!/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/.test(stderr)) return undefined;
  const lookup = config.port === 22 ? config.host : `[${config.host}]:${config.port}`;
  const offered = /(SHA256:[A-Za-z0-9+/=]+)/.exec(stderr)?.[1];
  const scan = `\`ssh-keyscan -p ${config.port} ${config.host}\` run on a network you trust (compare its fingerprint with the host's own \`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub\`)`;
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED/.test(stderr)) {
    return {
      input: "ssh-known-hosts",
      path: "",
      given: `a key for ${lookup} that does not match the key the host offered${offered ? ` (${offered})` : ""}`,
      expected: `the host's current key: if the host was rebuilt on purpose, replace its line(s) with the output of ${scan}; otherwise someone may be intercepting the connection`,
    };
  }
  return {
    input: "ssh-known-hosts",
    path: "",
    given: `no line for ${lookup}${config.port === 22 ? "" : " (ssh looks hosts up as [host]:port when the port is not 22)"}`,
    expected: `a line for ${lookup}, from ${scan}`,
  };
}
