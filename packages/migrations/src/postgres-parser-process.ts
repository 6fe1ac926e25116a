import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import type { ParseResult } from "libpg-query";

/**
 * Where PostgreSQL's parser runs. libpg_query is WebAssembly whose grammar function is huge: in a
 * normal Node process V8 tiers it up with TurboFan on first use, which costs a CPU-second and
 * ~550 MiB of peak memory per process. Started with `--liftoff-only` (a V8 flag that cannot be
 * set once the process runs) the same parse costs a tenth of that. An action bundle opts in with
 * `useParserProcess(itself)`: the first parse then starts the bundle again as a parser child
 * with that flag. Without it (tests, a process already on Liftoff) the parse runs in-process.
 */

/** Set in the environment of the parser child, which the action's entry point checks first. */
export const PARSER_CHILD_ENV = "CUTOVER_POSTGRES_PARSER_CHILD";

/** Whether this process is a parser child an action bundle started (its entry point checks it first). */
export function isParserChild(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env[PARSER_CHILD_ENV]);
}

let childEntry: string | undefined;
let child: ParserChild | undefined;

/** Runs later parses in a `--liftoff-only` child started from `entry` (the action bundle); undefined parses in-process again. */
export function useParserProcess(entry: string | undefined): void {
  childEntry = process.execArgv.includes("--liftoff-only") ? undefined : entry;
  child?.stop();
  child = undefined;
}

/** The parser child to use, or undefined to parse in-process. */
export function parserChild(): ParserChild | undefined {
  if (!childEntry) return undefined;
  child ??= new ParserChild(childEntry);
  return child.broken ? undefined : child;
}

/** The parser child failed (could not start, or died): the caller parses in-process instead. */
export class ParserProcessError extends Error {
  override name = "ParserProcessError";
}

/** A parse error as the child reports it: libpg_query's message and cursor position. */
interface ChildReply {
  id: number;
  result?: ParseResult;
  error?: { message: string; cursorPosition?: number };
}

class ParserChild {
  broken = false;
  private readonly process: ChildProcess;
  private readonly waiting = new Map<number, { resolve: (r: ParseResult) => void; reject: (e: Error) => void }>();
  private next = 0;

  constructor(entry: string) {
    this.process = spawn(process.execPath, ["--liftoff-only", entry], {
      env: { ...process.env, [PARSER_CHILD_ENV]: "1" },
      stdio: ["pipe", "pipe", "ignore"],
    });
    const fail = (error: Error) => {
      this.broken = true;
      for (const { reject } of this.waiting.values()) reject(error);
      this.waiting.clear();
    };
    this.process.on("error", (error) => fail(new ParserProcessError(error.message)));
    // A child that died leaves a broken pipe: the exit above already failed what was waiting.
    this.process.stdin?.on("error", () => {});
    this.process.on("exit", () => fail(new ParserProcessError("the PostgreSQL parser process exited")));
    createInterface({ input: this.process.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      const reply = JSON.parse(line) as ChildReply;
      const waiter = this.waiting.get(reply.id);
      if (!waiter) return;
      this.waiting.delete(reply.id);
      if (reply.result) waiter.resolve(reply.result);
      else waiter.reject(Object.assign(new Error(reply.error?.message ?? "parse failed"), { sqlDetails: reply.error }));
      this.idle();
    });
    // When this process has nothing left to do, end the child and wait for it, so that it never
    // outlives the step and its CPU and memory count in the step's own resource usage.
    process.once("beforeExit", () => {
      if (this.broken) return;
      this.process.ref();
      this.process.stdin?.end();
    });
    this.idle();
  }

  /** Parses `sql` in the child; rejects like libpg_query's parseSync on a syntax error. */
  parse(sql: string): Promise<ParseResult> {
    if (this.broken) return Promise.reject(new ParserProcessError("the PostgreSQL parser process is gone"));
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.busy();
      this.process.stdin?.write(`${JSON.stringify({ id, sql })}\n`);
    });
  }

  /** Ends the child: it exits once its stdin closes. */
  stop(): void {
    this.broken = true;
    this.process.stdin?.end();
  }

  /** Keeps this process alive while a parse is awaited, and lets it exit otherwise (the child ends with its stdin). */
  private busy(): void {
    this.process.ref();
    (this.process.stdout as unknown as { ref(): void }).ref();
  }

  private idle(): void {
    if (this.waiting.size > 0) return;
    this.process.unref();
    (this.process.stdout as unknown as { unref(): void }).unref();
    (this.process.stdin as unknown as { unref(): void }).unref();
  }
}

/** The child's side: answers parse requests on stdin with `parse` until stdin closes. */
export async function serveParser(parse: (sql: string) => ParseResult): Promise<void> {
  for await (const line of createInterface({ input: process.stdin })) {
    const { id, sql } = JSON.parse(line) as { id: number; sql: string };
    let reply: ChildReply;
    try {
      reply = { id, result: parse(sql) };
    } catch (error) {
      const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
      reply = { id, error: { message: error instanceof Error ? error.message : String(error), cursorPosition: details?.cursorPosition } };
    }
    process.stdout.write(`${JSON.stringify(reply)}\n`);
  }
}
