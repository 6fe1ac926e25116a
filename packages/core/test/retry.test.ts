import { describe, expect, it } from "vitest";
import { CancelledError } from "../src/errors.js";
import { backoffDelay, retry } from "../src/retry.js";

describe("backoffDelay", () => {
  it("doubles from the initial delay and caps", () => {
    const options = { retries: 10, initialDelayMs: 100, maxDelayMs: 1_000, jitter: 0 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, options))).toEqual([100, 200, 400, 800, 1_000]);
  });

  it("jitter only shortens a delay, by at most its fraction", () => {
    const options = { retries: 1, initialDelayMs: 1_000, jitter: 0.5 };
    expect(backoffDelay(1, { ...options, random: () => 0 })).toBe(1_000);
    expect(backoffDelay(1, { ...options, random: () => 0.999 })).toBe(500);
  });
});

describe("retry", () => {
  it("returns the first success and reports each retry", async () => {
    const seen: number[] = [];
    const result = await retry(
      async (attempt) => {
        if (attempt < 3) throw new Error(`fail ${attempt}`);
        return "ok";
      },
      { retries: 5, initialDelayMs: 1, onRetry: (_e, attempt) => seen.push(attempt) },
    );
    expect(result).toBe("ok");
    expect(seen).toEqual([1, 2]);
  });

  it("throws the last error when retries are spent", async () => {
    let calls = 0;
    await expect(
      retry(
        async (attempt) => {
          calls++;
          throw new Error(`fail ${attempt}`);
        },
        { retries: 2, initialDelayMs: 1 },
      ),
    ).rejects.toThrow("fail 3");
    expect(calls).toBe(3);
  });

  it("stops when shouldRetry says no", async () => {
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw new TypeError("bad");
        },
        { retries: 5, initialDelayMs: 1, shouldRetry: (e) => !(e instanceof TypeError) },
      ),
    ).rejects.toThrow("bad");
    expect(calls).toBe(1);
  });

  it("honours a server-chosen delay and stops waiting when cancelled", async () => {
    const controller = new AbortController();
    const started = Date.now();
    const pending = retry(
      async () => {
        throw new Error("busy");
      },
      { retries: 3, initialDelayMs: 1, delayFor: () => 10_000, signal: controller.signal },
    );
    setTimeout(() => controller.abort(new CancelledError("cancelled by SIGTERM")), 50);
    await expect(pending).rejects.toThrow("cancelled by SIGTERM");
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
