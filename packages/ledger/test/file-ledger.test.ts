import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileLedger, LedgerError, parseLedgerLocation } from "../src/index.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "file-ledger-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("FileLedger", () => {
  it("keeps every record when many writers open and close records at once", async () => {
    const path = join(dir, "nested", "ledger.json");
    const writers = Array.from({ length: 6 }, () => new FileLedger(path));
    const ids = await Promise.all(
      writers.flatMap((ledger, w) =>
        Array.from({ length: 4 }, async (_, i) => {
          const record = await ledger.open({ environment: "production", payload: { version: `${w}.${i}`, ref: "main", sha: SHA } });
          await ledger.update(record.id, { state: "failure" });
          return record.id;
        }),
      ),
    );
    expect(new Set(ids).size).toBe(24);
    const file = JSON.parse(readFileSync(path, "utf8"));
    expect(file.deployments).toHaveLength(24);
    expect(file.deployments.every((d: { statuses: unknown[] }) => d.statuses.length === 2)).toBe(true);
    // No temp or lock files are left behind.
    expect(readdirSync(join(dir, "nested"))).toEqual(["ledger.json"]);
  });

  it("takes over a lock left by a process that no longer exists", async () => {
    const path = join(dir, "ledger.json");
    writeFileSync(`${path}.lock`, `999999999 ${new Date().toISOString()}\n`);
    const record = await new FileLedger(path).open({ environment: "production", payload: { version: "1", ref: "main", sha: SHA } });
    expect(record.id).toBe(1);
  });

  it("gives up on a lock held by a live writer after its timeout, naming the holder", async () => {
    const path = join(dir, "ledger.json");
    writeFileSync(`${path}.lock`, `${process.pid} ${new Date().toISOString()}\n`);
    const ledger = new FileLedger(path, { lockTimeoutMs: 150 });
    await expect(ledger.open({ environment: "production", payload: { version: "1", ref: "main", sha: SHA } })).rejects.toThrow(
      new RegExp(`stayed locked by another writer \\(pid and time: ${process.pid} `),
    );
  });

  it("refuses a file that is not a ledger instead of overwriting it", async () => {
    const path = join(dir, "ledger.json");
    writeFileSync(path, "{ not json");
    const ledger = new FileLedger(path);
    await expect(ledger.current("production")).rejects.toThrow(LedgerError);
    await expect(ledger.open({ environment: "production", payload: { version: "1", ref: "main", sha: SHA } })).rejects.toThrow(
      /is not valid JSON/,
    );
    expect(readFileSync(path, "utf8")).toBe("{ not json");
    writeFileSync(path, JSON.stringify({ hello: "world" }));
    await expect(ledger.current("production")).rejects.toThrow(/is not a cutover ledger/);
  });
});

describe("parseLedgerLocation", () => {
  it("reads github and file:<path>", () => {
    expect(parseLedgerLocation("github")).toEqual({ kind: "github" });
    expect(parseLedgerLocation("file:.cutover/ledger.json")).toEqual({ kind: "file", path: ".cutover/ledger.json" });
  });

  it("names the input and what is expected for anything else", () => {
    expect(() => parseLedgerLocation("s3://bucket")).toThrow(
      `input 'ledger': got "s3://bucket"; expected github or file:<path>, e.g. file:.cutover/ledger.json`,
    );
    expect(() => parseLedgerLocation("file:")).toThrow(/expected github or file:<path>/);
  });
});
