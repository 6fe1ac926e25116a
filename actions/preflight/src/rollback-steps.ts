import { blueGreenSwap } from "../../blue-green-swap/src/inputs.js";
import { healthGate } from "../../health-gate/src/inputs.js";
import { notifySlack } from "../../notify-slack/src/inputs.js";
import { rollback } from "../../rollback/src/inputs.js";
import { smokeTest } from "../../smoke-test/src/inputs.js";
import { AT_RUN_TIME, COLOR, input, setting, type WorkflowStep } from "./step-sources.js";

/** Stands in for a URL recorded with the deployments when the caller gives none (it was checked at deploy time). */
const RECORDED_URL = "http://{color}.recorded.invalid";

/** The steps of rollback.yml that take the workflow's inputs. */
export const ROLLBACK_STEPS: WorkflowStep[] = [
  {
    name: "1 · Announce in Slack",
    spec: notifySlack,
    with: { status: { value: "started" }, "slack-channel": input("slack-channel"), environment: input("environment") },
  },
  {
    name: "2 · Roll back",
    spec: rollback,
    with: {
      mode: { value: "rollback" },
      environment: input("environment"),
      ledger: input("ledger"),
      "target-version": input("target-version"),
      strategy: input("strategy"),
      reason: input("reason"),
      router: input("router"),
      "router-env": { secret: "router-env" },
      "verify-url": input("public-url"),
      "verify-expect": input("verify-expect"),
      "traffic-steps": input("traffic-steps"),
      "step-duration": input("step-duration"),
      "migrate-down": input("migrate-down"),
      "database-url": { secret: "database-url" },
      "migrations-dir": input("migrations-dir"),
      "migrations-version-command": input("migrations-version-command"),
      "migrations-down-command": input("migrations-down-command"),
      "restore-command": input("restore-command"),
    },
  },
  {
    name: "5 · Smoke-test the idle color",
    spec: smokeTest,
    with: {
      url: setting("idle-url", RECORDED_URL),
      color: COLOR,
      version: AT_RUN_TIME,
      environment: input("environment"),
      checks: setting("checks"),
    },
  },
  {
    name: "5 · Health-gate the idle color",
    spec: healthGate,
    with: {
      url: setting("health-url", RECORDED_URL, "idle-url"),
      color: COLOR,
      version: AT_RUN_TIME,
      environment: input("environment"),
      expect: setting("health-expect"),
      deadline: setting("health-deadline"),
    },
  },
  {
    name: "6 · Swap traffic to the redeployed color",
    spec: blueGreenSwap,
    with: {
      to: COLOR,
      router: input("router"),
      "router-env": { secret: "router-env" },
      "verify-url": setting("public-url", "https://recorded.invalid"),
      "verify-path": setting("verify-path"),
      "verify-expect": setting("verify-expect"),
      "traffic-steps": input("traffic-steps"),
      "step-duration": input("step-duration"),
    },
  },
  {
    name: "7 · Update the Slack message",
    spec: notifySlack,
    with: {
      status: { value: "failure" },
      environment: input("environment"),
      "slack-mention": input("slack-mention"),
    },
  },
];
