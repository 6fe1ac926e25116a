import type { ProcessResult } from "@cutover/core";

export interface ExecOptions {
  timeoutMs: number;
  env?: Record<string, string>;
  /** See ProcessOptions.signal: only for commands that are safe to interrupt. */
  signal?: AbortSignal;
}

/**
 * The machine a router manages: this one, or one reached over ssh. File writes are atomic on
 * both (temporary file in the same directory, then rename).
 */
export interface Host {
  /** `local` or `user@host:port`. */
  readonly label: string;
  /** The file's text, or undefined when it does not exist. */
  readFile(path: string, signal?: AbortSignal): Promise<string | undefined>;
  /** Replaces the file in one rename: readers see the old or the new content, never a mix. */
  writeFileAtomic(path: string, content: string): Promise<void>;
  removeFile(path: string): Promise<void>;
  /** Runs a shell command line. */
  exec(command: string, options: ExecOptions): Promise<ProcessResult>;
  close(): Promise<void>;
}
