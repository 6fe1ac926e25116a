// Issue 12: a generated bad-input sweep over every input of every action, read from action.yml.
// Each value either fails before anything changes with the input named, or is legal free text
// kept exactly as given; the sweep proves which. It runs in-process through readInputs (the code
// path every bundle takes first), and a sample runs through the bundles themselves.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, formatConfigIssue, inputVariable, Redactor } from "@cutover/core";
import { type ActionSpec, readInputs } from "@cutover/runner";
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { blueGreenSwap } from "../../actions/blue-green-swap/src/inputs.js";
import { healthGate } from "../../actions/health-gate/src/inputs.js";
import { migrate } from "../../actions/migrate/src/inputs.js";
import { notifySlack } from "../../actions/notify-slack/src/inputs.js";
import { outcome } from "../../actions/outcome/src/inputs.js";
import { preflight } from "../../actions/preflight/src/inputs.js";
import { rollback } from "../../actions/rollback/src/inputs.js";
import { smokeTest } from "../../actions/smoke-test/src/inputs.js";
import { readActionMetadata, repoRoot } from "../harness/action-metadata.js";
import { runAction } from "../harness/run-action.js";

type AnySpec = ActionSpec<Record<string, z.ZodType>>;
const SPECS: Record<string, AnySpec> = {
  "blue-green-swap": blueGreenSwap as unknown as AnySpec,
  "health-gate": healthGate as unknown as AnySpec,
  migrate: migrate as unknown as AnySpec,
  "notify-slack": notifySlack as unknown as AnySpec,
  outcome: outcome as unknown as AnySpec,
  preflight: preflight as unknown as AnySpec,
  rollback: rollback as unknown as AnySpec,
  "smoke-test": smokeTest as unknown as AnySpec,
};
const ACTIONS: string[] = readdirSync(join(repoRoot, "actions")).sort();

// What runAction awaits before reading the inputs that need it (the PromQL grammar of `metrics`).
beforeAll(async () => {
  await Promise.all(Object.values(SPECS).flatMap((spec) => Object.values(spec.preload ?? {}).map((load) => load?.())));
});

it("sweeps every action there is", () => {
  expect(Object.keys(SPECS).sort()).toEqual(ACTIONS);
});

const billionLaughs = [
  "a: &a [x, x, x, x, x, x, x, x, x]",
  ...Array.from({ length: 8 }, (_, i) => {
    const prev = String.fromCharCode(97 + i);
    const name = String.fromCharCode(98 + i);
    return `${name}: &${name} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`;
  }),
].join("\n");

/** The bad values, by kind. Each is tried on every input of every action. */
const VALUES: Record<string, string> = {
  whitespace: " \t \n ",
  empty: "",
  "100 KB": `v${"x".repeat(100_000)}`,
  unicode: "héllo wörld 🚀 \u202e\u200b 中文",
  "negative duration": "-5s",
  "zero duration": "0s",
  "overflowing duration": "30d",
  "huge number": "99999999999999999999",
  "YAML bomb": billionLaughs,
  "deep nesting": `${"[".repeat(5_000)}${"]".repeat(5_000)}`,
  "duplicate keys": "a: 1\na: 2",
};

type Verdict = { kind: "refused"; messages: string[] } | { kind: "accepted"; value: unknown };

function tryInput(spec: AnySpec, input: string, raw: string): Verdict {
  try {
    const values = readInputs(spec, new Redactor(), { [inputVariable(input)]: raw }) as Record<string, unknown>;
    return { kind: "accepted", value: values[input] };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const mine = error.issues.filter((issue) => issue.input === input);
    if (mine.length > 0) return { kind: "refused", messages: mine.map(formatConfigIssue) };
    // Refused only for other inputs (a required one left out): this input's value was accepted.
    return { kind: "accepted", value: parsedAlone(spec, input, raw) };
  }
}

/** The parsed value of one input on its own, when other inputs are missing. */
function parsedAlone(spec: AnySpec, input: string, raw: string): unknown {
  const schema = spec.inputs[input] as z.ZodType;
  const text = raw.trim();
  return schema.parse(text === "" ? undefined : text);
}

/** What kind of input this is, probed through its own schema. */
function kindOf(schema: z.ZodType): "duration" | "structured" | "text" | "other" {
  const probe = (text: string) => schema.safeParse(text);
  const five = probe("5s");
  if (five.success && five.data === 5_000) return "duration";
  const list = probe("[]");
  const map = probe("{}");
  if ((list.success && Array.isArray(list.data)) || (map.success && typeof map.data === "object" && map.data !== null)) return "structured";
  const text = probe("some free text");
  return text.success && text.data === "some free text" ? "text" : "other";
}

// Keep stdout quiet: readInputs masks secrets through @actions/core, which prints ::add-mask::.
const silence = <T>(work: () => T): T => {
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return work();
  } finally {
    process.stdout.write = write;
  }
};

describe.each(ACTIONS)("bad-input sweep: %s", (action: string) => {
  const spec = SPECS[action] as AnySpec;
  const metadata = readActionMetadata(action);
  const secrets = new Set<string>(spec.secretInputs ?? []);

  it("has a spec for every input action.yml declares", () => {
    expect(Object.keys(spec.inputs).sort()).toEqual(Object.keys(metadata.inputs).sort());
  });

  it.each(Object.keys(metadata.inputs))("every bad value of %s is refused naming it, or is legal text kept as given", (input) => {
    const schema = spec.inputs[input] as z.ZodType;
    const kind = kindOf(schema);
    const verdicts = silence(() => Object.fromEntries(Object.entries(VALUES).map(([name, raw]) => [name, tryInput(spec, input, raw)])));
    for (const [name, verdict] of Object.entries(verdicts)) {
      const raw = VALUES[name] as string;
      if (verdict.kind === "refused") {
        for (const message of verdict.messages) {
          expect(message, `${input} ${name}`).toMatch(new RegExp(`^input '${input}'`));
          // Never the whole value back, and nothing of a secret's.
          if (raw.length > 200) expect(message.length, `${input} ${name}`).toBeLessThan(1_000);
          if (secrets.has(input) && raw.trim().length >= 8) expect(message).not.toContain(raw.trim().slice(0, 12));
        }
      } else if (kind === "text" && raw.trim() !== "") {
        // Legal free text: kept exactly (trimmed, as the runner's getInput does).
        expect(verdict.value, `${input} ${name}`).toBe(raw.trim());
      }
    }
    // What must be refused, by kind.
    expect(verdicts.whitespace?.kind, `${input}: whitespace`).toBe("refused");
    if (kind === "duration") {
      for (const name of ["negative duration", "overflowing duration", "huge number", "100 KB", "unicode", "YAML bomb"]) {
        expect(verdicts[name]?.kind, `${input}: ${name}`).toBe("refused");
      }
    }
    if (kind === "structured") {
      for (const name of ["YAML bomb", "deep nesting", "duplicate keys", "100 KB", "unicode"]) {
        expect(verdicts[name]?.kind, `${input}: ${name}`).toBe("refused");
      }
    }
  });
});

describe("bad-input sweep: a sample through the bundles (nothing runs, the input is named)", () => {
  it.each([
    ["health-gate", { url: "http://127.0.0.1:9/", interval: "30d" }, "input 'interval'"],
    ["smoke-test", { url: "http://127.0.0.1:9/", "request-timeout": "-5s" }, "input 'request-timeout'"],
    ["migrate", { "database-url": "sqlite:/nonexistent/x.db", mode: "  " }, "input 'mode'"],
    ["notify-slack", { fields: `${"[".repeat(5_000)}${"]".repeat(5_000)}` }, "input 'fields'"],
    ["blue-green-swap", { router: billionLaughs }, "input 'router'"],
    ["rollback", { environment: "production", "verify-deadline": "0s" }, "input 'verify-deadline'"],
  ] as [string, Record<string, string>, string][])("%s %o", async (action, inputs, named) => {
    const run = await runAction(action, inputs, { env: {} });
    expect(run.exitCode).toBe(1);
    expect(run.annotations).toHaveLength(1);
    expect(run.annotations[0]?.message).toContain(named);
    expect(run.annotations[0]?.message).toContain("nothing was changed");
  });
});
