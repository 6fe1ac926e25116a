import {
  type AppliedMigration,
  type DeploymentPayloadInput,
  type DeploymentRecord,
  type DeploymentState,
  deploymentPayloadSchema,
} from "@cutover/ledger";
import { describe, expect, it } from "vitest";
import {
  chooseRollback,
  confirmDownFiles,
  decideSchema,
  decideStrategy,
  NoPreviousDeploymentError,
  needsMoreRecords,
  planRollback,
  RollbackBlockedError,
} from "../src/index.js";

const sha = (n: number) => `${n.toString(16).padStart(8, "0")}${"d".repeat(32)}`;

function rec(
  id: number,
  state: DeploymentState,
  payload: Partial<DeploymentPayloadInput> & { version: string },
  options: { everSucceeded?: boolean; environment?: string } = {},
): DeploymentRecord {
  return {
    id,
    environment: options.environment ?? "production",
    state,
    createdAt: new Date(1_700_000_000_000 + id * 1000).toISOString(),
    payload: deploymentPayloadSchema.parse({ ref: `v${payload.version}`, sha: sha(id), ...payload }),
    recordedByCutover: true,
    statuses: [],
    everSucceeded: options.everSucceeded ?? (state === "success" || state === "inactive"),
  };
}

const mig = (version: string, classification: "expand" | "contract", name?: string): AppliedMigration => ({
  version,
  classification,
  ...(name ? { name } : {}),
});

describe("chooseRollback", () => {
  it("goes back from the live deployment to the last known good before it", () => {
    const records = [
      rec(5, "success", { version: "1.3.0" }),
      rec(4, "failure", { version: "1.2.0" }),
      rec(3, "inactive", { version: "1.1.0" }, { everSucceeded: false }),
      rec(2, "success", { version: "9.0.0" }, { environment: "staging" }),
      rec(1, "inactive", { version: "1.0.0" }),
    ];
    const selection = chooseRollback(records, "production");
    expect(selection.from.id).toBe(5);
    expect(selection.target.payload.version).toBe("1.0.0");
    expect(selection.reason).toBe("last known good before #5 (1.3.0)");
  });

  it("rolls back an in-progress deployment to the live one", () => {
    const records = [
      rec(3, "in_progress", { version: "2.0.0" }),
      rec(2, "success", { version: "1.9.0" }),
      rec(1, "inactive", { version: "1.8.0" }),
    ];
    const selection = chooseRollback(records, "production");
    expect([selection.from.id, selection.target.id]).toEqual([3, 2]);
  });

  it("skips older deployments of the very same commit", () => {
    const same = rec(2, "inactive", { version: "1.1.0" });
    const live = {
      ...rec(3, "success", { version: "1.1.0" }),
      payload: { ...rec(3, "success", { version: "1.1.0" }).payload, sha: same.payload.sha },
    };
    expect(chooseRollback([live, same, rec(1, "inactive", { version: "1.0.0" })], "production").target.id).toBe(1);
  });

  it("tells releases of one commit apart by version (image tags, dispatched versions)", () => {
    const commit = rec(1, "inactive", { version: "1.0.0" }).payload.sha;
    const sameCommit = (id: number, state: DeploymentState, version: string) => {
      const record = rec(id, state, { version });
      return { ...record, payload: { ...record.payload, sha: commit } };
    };
    const records = [sameCommit(3, "success", "image-43"), sameCommit(2, "inactive", "image-42"), sameCommit(1, "inactive", "image-41")];
    expect(chooseRollback(records, "production").target.payload.version).toBe("image-42");
  });

  it("names every record it skipped, and why, when none is a target", () => {
    const records = [
      rec(4, "success", { version: "2.0.0" }),
      rec(3, "inactive", { version: "2.0.0" }),
      rec(2, "failure", { version: "1.9.0" }),
      rec(1, "in_progress", { version: "1.8.0" }),
    ];
    expect(() => chooseRollback(records, "production")).toThrow(
      "skipped #3 (2.0.0): the same version as the live #4: going back to it changes nothing; #2 (1.9.0): it failed or was rolled back; #1 (1.8.0): it never finished",
    );
  });

  it("takes target-version, and lists known-good versions when it matches none", () => {
    const records = [
      rec(3, "success", { version: "1.2.0" }),
      rec(2, "failure", { version: "1.1.0" }),
      rec(1, "inactive", { version: "1.0.0" }),
    ];
    expect(chooseRollback(records, "production", "1.0.0").target.id).toBe(1);
    expect(() => chooseRollback(records, "production", "1.1.0")).toThrow(
      /no known-good deployment of version '1.1.0' in 'production'\n- target-version: measured '1.1.0' matches no successful deployment, expected one of 1.0.0/,
    );
  });

  it("says clearly when there is nothing to roll back to or from", () => {
    expect(() => chooseRollback([rec(1, "success", { version: "1.0.0" })], "production")).toThrow(NoPreviousDeploymentError);
    expect(() => chooseRollback([rec(1, "success", { version: "1.0.0" })], "production")).toThrow(
      "no successful deployment of 'production' before #1 (1.0.0): nothing to roll back to",
    );
    expect(() => chooseRollback([], "production")).toThrow(/no deployment of 'production' is live or in progress/);
    expect(() => chooseRollback([rec(2, "failure", { version: "1" }), rec(1, "failure", { version: "0" })], "production")).toThrow(
      /measured 2 failure, expected one with status success or in_progress/,
    );
  });

  it("needsMoreRecords tells a walk when it can stop", () => {
    const live = rec(3, "success", { version: "1.2.0" });
    expect(needsMoreRecords([live], "production")).toBe(true);
    expect(needsMoreRecords([live, rec(2, "failure", { version: "1.1.0" })], "production")).toBe(true);
    expect(needsMoreRecords([live, rec(2, "failure", { version: "1.1.0" }), rec(1, "inactive", { version: "1.0.0" })], "production")).toBe(
      false,
    );
  });
});

describe("decideStrategy", () => {
  const v1 = rec(1, "inactive", { version: "1.0.0", color: "blue", replacedColor: "green" });
  const v2 = rec(2, "success", { version: "2.0.0", color: "green", replacedColor: "blue" });

  it("auto → traffic when the target's color was not deployed to since", () => {
    const records = [v2, v1];
    const decision = decideStrategy(records, chooseRollback(records, "production"), "auto");
    expect(decision).toEqual({
      strategy: "traffic",
      color: "blue",
      liveColor: "green",
      reason: "the blue color still runs 1.0.0 (per the ledger)",
    });
  });

  it("auto → redeploy when a later (even failed) deployment overwrote that color, to the idle color", () => {
    const records = [
      rec(4, "success", { version: "4.0.0", color: "green", replacedColor: "blue" }),
      rec(3, "failure", { version: "3.0.0", color: "blue", replacedColor: "green" }),
      v2,
      v1,
    ];
    const selection = chooseRollback(records, "production");
    expect(selection.target.id).toBe(2);
    // v2 ran on green, but #4 (live) went to green after it.
    expect(decideStrategy(records, selection, "auto")).toMatchObject({
      strategy: "redeploy",
      color: "blue",
      reason: "redeploy because #4 (4.0.0, success) was deployed to green since",
    });
    // Rolling back to v1 (blue) is impossible by traffic: #3 went to blue after it.
    const toV1 = chooseRollback(records, "production", "1.0.0");
    const decision = decideStrategy(records, toV1, "auto");
    expect(decision).toMatchObject({ strategy: "redeploy", color: "blue", liveColor: "green" });
    expect(decision.reason).toBe("redeploy because #3 (3.0.0, failure) was deployed to blue since");
    expect(() => decideStrategy(records, toV1, "traffic")).toThrow(
      /traffic rollback to 1.0.0 is not possible: #3 \(3.0.0, failure\) was deployed to blue since/,
    );
  });

  it("a probe of the color overrides the ledger both ways", () => {
    const records = [v2, v1];
    const selection = chooseRollback(records, "production");
    expect(decideStrategy(records, selection, "auto", { color: "blue", reachable: true, version: "0.9.0" })).toMatchObject({
      strategy: "redeploy",
      reason: "redeploy because the blue color reports version 0.9.0, not 1.0.0",
    });
    expect(decideStrategy(records, selection, "auto", { color: "blue", reachable: false })).toMatchObject({ strategy: "redeploy" });
    const overwritten = [v2, rec(1, "inactive", { version: "1.0.0", color: "blue" }), rec(0, "inactive", { version: "0.1.0" })];
    expect(decideStrategy(overwritten, selection, "auto", { color: "blue", reachable: true, version: "1.0.0" })).toMatchObject({
      strategy: "traffic",
    });
  });

  it("redeploy when asked, and when the ledger does not know the target's color", () => {
    const records = [v2, v1];
    expect(decideStrategy(records, chooseRollback(records, "production"), "redeploy")).toMatchObject({
      strategy: "redeploy",
      color: "blue",
    });
    const colorless = [rec(2, "success", { version: "2.0.0" }), rec(1, "inactive", { version: "1.0.0" })];
    expect(decideStrategy(colorless, chooseRollback(colorless, "production"), "auto")).toMatchObject({
      strategy: "redeploy",
      reason: "redeploy because the ledger does not say which color 1.0.0 ran on",
    });
  });
});

describe("decideSchema", () => {
  const schema = (
    before: string,
    after: string,
    migrations: AppliedMigration[],
    compatibility: "none" | "expand" | "contract" = "expand",
  ) => ({
    schema: { before, after, migrations, compatibility },
  });

  it("unchanged schema proceeds", () => {
    const records = [
      rec(2, "success", { version: "2", ...schema("0003", "0003", [], "none") }),
      rec(1, "inactive", { version: "1", ...schema("0002", "0003", [mig("0003", "expand")]) }),
    ];
    expect(decideSchema(records, chooseRollback(records, "production"), { migrateDown: false })).toMatchObject({
      kind: "unchanged",
      schema: "0003",
    });
  });

  it("only expand migrations between them: proceed and say so", () => {
    const records = [
      rec(3, "success", { version: "3", ...schema("0004", "0005", [mig("0005", "expand", "add_index")]) }),
      rec(2, "failure", { version: "2", ...schema("0003", "0004", [mig("0004", "expand", "add_column")]) }),
      rec(1, "inactive", { version: "1", ...schema("0002", "0003", [mig("0003", "contract")]) }),
    ];
    const decision = decideSchema(records, chooseRollback(records, "production"), { migrateDown: false });
    expect(decision).toMatchObject({ kind: "expand-only", live: "0005", target: "0003" });
    expect(decision.message).toBe("only expand migrations since 0003 (0005 add_index, 0004 add_column): 1 still fits schema 0005");
  });

  const contractHistory = () => [
    rec(3, "success", {
      version: "3",
      ...schema("0004", "0006", [mig("0005", "expand", "add_email"), mig("0006", "contract", "drop_username")], "contract"),
    }),
    rec(2, "inactive", { version: "2", ...schema("0003", "0004", [mig("0004", "contract", "rename_total")], "contract") }),
    rec(1, "inactive", { version: "1", ...schema("0002", "0003", [mig("0003", "expand")]) }),
  ];

  it("contract migrations refuse without migrate-down, naming exactly those in the way", () => {
    const records = contractHistory();
    const error = (() => {
      try {
        decideSchema(records, chooseRollback(records, "production", "1"), { migrateDown: false });
      } catch (e) {
        return e as RollbackBlockedError;
      }
    })();
    expect(error).toBeInstanceOf(RollbackBlockedError);
    expect(error?.summary).toBe("2 contract migration(s) since 1 stand in the way: 0006 drop_username, 0004 rename_total");
    expect(error?.findings.map((f) => f.subject)).toEqual(["migration 0006 drop_username", "migration 0004 rename_total"]);
    expect(error?.message).not.toContain("add_email");
    // Going back only to v2 is blocked by 0006 alone.
    expect(() => decideSchema(records, chooseRollback(records, "production"), { migrateDown: false })).toThrow(
      /1 contract migration\(s\) since 2 stand in the way: 0006 drop_username\n- migration 0006 drop_username: measured contract, applied by #3 \(3\)/,
    );
  });

  it("with migrate-down plans the revert, newest first, and needs every down file", () => {
    const records = contractHistory();
    const selection = chooseRollback(records, "production", "1");
    const decision = decideSchema(records, selection, { migrateDown: true });
    expect(decision).toMatchObject({ kind: "migrate-down", live: "0006", target: "0003", downFilesChecked: false });
    if (decision.kind !== "migrate-down") throw new Error("unreachable");
    expect(decision.migrations.map((m) => m.migration.version)).toEqual(["0006", "0005", "0004"]);
    expect(() => confirmDownFiles(decision, ["0006", "0004"])).toThrow("cannot migrate down to 0003: no down file for 0005 add_email");
    expect(confirmDownFiles(decision, ["0004", "0005", "0006"])).toMatchObject({ downFilesChecked: true });
    expect(() => decideSchema(records, selection, { migrateDown: true, downFiles: [] })).toThrow(RollbackBlockedError);
  });

  it("a record with a contract compatibility but no migration list still blocks", () => {
    const records = [
      rec(2, "success", { version: "2", ...schema("7", "8", [], "contract") }),
      rec(1, "inactive", { version: "1", ...schema("6", "7", []) }),
    ];
    expect(() => decideSchema(records, chooseRollback(records, "production"), { migrateDown: false })).toThrow(
      /stand in the way: 7\.\.8 unlisted migrations of #2/,
    );
  });

  it("unlisted migrations carry their span as data, not as a string to parse", () => {
    const records = [
      rec(2, "success", { version: "2", ...schema("0007", "0009", [], "contract") }),
      rec(1, "inactive", { version: "1", ...schema("0006", "0007", []) }),
    ];
    const decision = decideSchema(records, chooseRollback(records, "production"), { migrateDown: true });
    if (decision.kind !== "migrate-down") throw new Error(`expected migrate-down, got ${decision.kind}`);
    expect(decision.migrations).toHaveLength(1);
    expect(decision.migrations[0]?.range).toEqual({ above: "0007", through: "0009" });
    expect(decision.migrations[0]?.migration.version).toBe("0007..0009");
  });

  it("a schema gap the ledger cannot explain refuses; missing schema info is said, not guessed", () => {
    const gap = [
      rec(2, "success", { version: "2", ...schema("0010", "0011", [mig("0011", "expand")]) }),
      rec(1, "inactive", { version: "1", ...schema("0002", "0003", []) }),
    ];
    expect(() => decideSchema(gap, chooseRollback(gap, "production"), { migrateDown: true })).toThrow(
      "the ledger cannot tell which migrations lie between schema 0003 and 0011\n- schema: measured live 0011, 1 was deployed with 0003, expected ledger records whose schema before/after connect the two",
    );
    const untracked = [rec(2, "success", { version: "2" }), rec(1, "inactive", { version: "1" })];
    expect(decideSchema(untracked, chooseRollback(untracked, "production"), { migrateDown: false })).toMatchObject({ kind: "untracked" });
  });

  it("rollback records do not count as applying migrations again", () => {
    const records = [
      rec(5, "success", { version: "4", ...schema("0004", "0005", [mig("0005", "expand", "add_flag")]) }),
      // v2 restored by migrating 0006 down: 0006 → 0004.
      rec(4, "inactive", { version: "2", ...schema("0006", "0004", [mig("0006", "contract")]), rollback: { reason: "bad", fromId: 3 } }),
      rec(3, "failure", { version: "3", ...schema("0004", "0006", [mig("0006", "contract", "drop_x")]) }),
      rec(2, "inactive", { version: "2", ...schema("0003", "0004", [mig("0004", "expand", "add_y")]) }),
      rec(1, "inactive", { version: "1", ...schema("0002", "0003", []) }),
    ];
    const decision = decideSchema(records, chooseRollback(records, "production", "1"), { migrateDown: false });
    expect(decision.kind).toBe("expand-only");
    if (decision.kind !== "expand-only") throw new Error("unreachable");
    expect(decision.migrations.map((m) => m.migration.version)).toEqual(["0005", "0004"]);
  });
});

describe("planRollback", () => {
  it("combines target, strategy and schema", () => {
    const records = [
      rec(2, "success", {
        version: "2.0.0",
        color: "green",
        replacedColor: "blue",
        schema: { before: "1", after: "2", compatibility: "expand", migrations: [mig("2", "expand")] },
      }),
      rec(1, "inactive", {
        version: "1.0.0",
        color: "blue",
        replacedColor: "green",
        schema: { before: "0", after: "1", compatibility: "expand", migrations: [] },
      }),
    ];
    const plan = planRollback({ environment: "production", records, strategy: "auto", migrateDown: false });
    expect(plan.selection.target.payload.version).toBe("1.0.0");
    expect(plan.strategy.strategy).toBe("traffic");
    expect(plan.schema.kind).toBe("expand-only");
  });
});
