import { createConnection } from "node:net";
import { describeExit, outputTail } from "@cutover/core";
import type { Host } from "../host.js";
import { RouterError } from "../router-error.js";
import { shellQuote } from "../shell-quote.js";

/** One connection to HAProxy's runtime API per call: HAProxy answers and closes (non-interactive mode). */
export interface RuntimeApi {
  /** Sends one command line (commands may be joined with `;`) and returns the whole answer. */
  call(command: string, timeoutMs: number): Promise<string>;
}

/** The admin socket on this machine, spoken to directly. */
export class LocalRuntimeApi implements RuntimeApi {
  constructor(private readonly socket: string) {}

  call(command: string, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      let answer = "";
      const connection = createConnection(this.socket);
      connection.setEncoding("utf8");
      connection.setTimeout(timeoutMs, () => {
        connection.destroy();
        reject(new Error(`no answer from ${this.socket} within ${timeoutMs}ms to '${command}'`));
      });
      connection.on("connect", () => connection.end(`${command}\n`));
      connection.on("data", (chunk: string) => {
        answer += chunk;
      });
      connection.on("error", (error) => reject(new Error(`admin socket ${this.socket}: ${error.message}`)));
      connection.on("close", (hadError) => {
        if (!hadError) resolve(answer);
      });
    });
  }
}

/**
 * The admin socket on a machine reached over ssh: `socat` on that machine relays the command,
 * so the socket never leaves it (no forwarded Unix socket, no TCP stats listener).
 */
export class RemoteRuntimeApi implements RuntimeApi {
  constructor(
    private readonly host: Host,
    private readonly socket: string,
  ) {}

  async call(command: string, timeoutMs: number): Promise<string> {
    const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
    const line = `printf '%s\\n' ${shellQuote(command)} | socat -t ${seconds} - UNIX-CONNECT:${shellQuote(this.socket)}`;
    const result = await this.host.exec(line, { timeoutMs });
    if (result.exitCode === 127) {
      throw new RouterError(
        `socat is not installed on ${this.host.label}; the haproxy router needs it there to reach ${this.socket} (apt-get install socat)`,
        {
          step: "runtime-api",
          exitCode: 127,
          output: outputTail(result),
          unchanged: true,
        },
      );
    }
    if (result.exitCode !== 0 || result.timedOut) {
      throw new Error(
        `admin socket ${this.socket} on ${this.host.label}: ${describeExit(result, timeoutMs)} ${outputTail(result, 4)}`.trim(),
      );
    }
    return result.stdout;
  }
}
