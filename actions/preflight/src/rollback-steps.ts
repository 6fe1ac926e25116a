import { blueGreenSwap } from "../../blue-green-swap/src/inputs.js";
import { healthGate } from "../../health-gate/src/inputs.js";
import { notifySlack } from "../../notify-slack/src/inputs.js";
import { rollback } from "../../rollback/src/inputs.js";
import { smokeTest } from "../../smoke-test/src/inputs.js";
import { AT_RUN_TIME, COLOR, input, type WorkflowStep } from "./step-sources.js";

/** The steps of rollback.yml that take the workflow's inputs. */
export const ROLLBACK_STEPS: WorkflowStep[] = [
  {
    name: "1 · Announce in Slack",
    spec: notifySlack,
    with: { status: { value: "started" }, channel: input("slack-channel"), environment: input("environment") },
  },
  {
    name: "2 · Roll back",
    spec: rollback,
    with: {
      mode: { value: "rollback" },
      environment: input("environment"),
      ledger: input("ledger"),
      "to-version": input("to-version"),
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
      dir: input("migrations-dir"),
    },
  },
  {
    name: "5 · Smoke-test the idle color",
    spec: smokeTest,
    with: { url: input("idle-url"), color: COLOR, version: AT_RUN_TIME, environment: input("environment"), checks: input("checks") },
  },
  {
    name: "5 · Health-gate the idle color",
    spec: healthGate,
    with: {
      url: { firstOf: ["health-url", "idle-url"] },
      color: COLOR,
      version: AT_RUN_TIME,
      environment: input("environment"),
      expect: input("health-expect"),
      timeout: input("health-timeout"),
    },
  },
  {
    name: "6 · Swap traffic to the redeployed color",
    spec: blueGreenSwap,
    with: {
      to: COLOR,
      router: input("router"),
      "router-env": { secret: "router-env" },
      "verify-url": input("public-url"),
      "verify-expect": input("verify-expect"),
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
      mention: input("slack-mention"),
    },
  },
];
