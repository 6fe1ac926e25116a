import { blueGreenSwap } from "../../blue-green-swap/src/inputs.js";
import { healthGate } from "../../health-gate/src/inputs.js";
import { migrate } from "../../migrate/src/inputs.js";
import { notifySlack } from "../../notify-slack/src/inputs.js";
import { rollback } from "../../rollback/src/inputs.js";
import { smokeTest } from "../../smoke-test/src/inputs.js";
import { AT_RUN_TIME, COLOR, input, OTHER_COLOR, type WorkflowStep } from "./step-sources.js";

/** The migration steps run with a directory of SQL files or with the team's own tool. */
const MIGRATIONS = ["migrations-dir", "migrations-command"];

/** The steps of deploy.yml that take the workflow's inputs, with the same `with:` as the workflow. */
export const DEPLOY_STEPS: WorkflowStep[] = [
  {
    name: "1 · Announce in Slack",
    spec: notifySlack,
    with: {
      status: { value: "started" },
      "slack-channel": input("slack-channel"),
      environment: input("environment"),
      version: input("version"),
    },
  },
  {
    name: "2 · Router status",
    spec: blueGreenSwap,
    with: {
      mode: { value: "status" },
      router: input("router"),
      "router-env": { secret: "router-env" },
      "ssh-key": { secret: "ssh-key" },
      "ssh-known-hosts": { secret: "ssh-known-hosts" },
    },
  },
  {
    name: "3 · Migration plan and lint",
    when: MIGRATIONS,
    spec: migrate,
    with: {
      mode: { value: "plan" },
      "database-url": { secret: "database-url" },
      "migrations-dir": input("migrations-dir"),
      "allow-contract": input("allow-contract"),
      "migrations-command": input("migrations-command"),
      "migrations-version-command": input("migrations-version-command"),
    },
  },
  {
    name: "3 · Back up and apply migrations",
    when: MIGRATIONS,
    spec: migrate,
    with: {
      mode: { value: "apply" },
      "database-url": { secret: "database-url" },
      "migrations-dir": input("migrations-dir"),
      backup: input("backup"),
      "migrations-command": input("migrations-command"),
      "migrations-version-command": input("migrations-version-command"),
      "backup-command": input("backup-command"),
    },
  },
  {
    name: "3 · Open the deployment record",
    spec: rollback,
    with: {
      mode: { value: "record" },
      environment: input("environment"),
      ledger: input("ledger"),
      status: { value: "in_progress" },
      version: input("version"),
    },
  },
  {
    name: "5 · Smoke-test and load-gate the idle color",
    spec: smokeTest,
    with: {
      url: input("idle-url"),
      color: COLOR,
      version: input("version"),
      environment: input("environment"),
      checks: input("checks"),
      load: input("load"),
    },
  },
  {
    name: "5 · Health-gate the idle color",
    spec: healthGate,
    with: {
      url: { firstOf: ["health-url", "idle-url"] },
      color: COLOR,
      version: input("version"),
      environment: input("environment"),
      expect: input("health-expect"),
      deadline: input("health-deadline"),
      interval: input("health-interval"),
    },
  },
  {
    name: "6 · Swap traffic to the new color",
    spec: blueGreenSwap,
    with: {
      to: COLOR,
      router: input("router"),
      "router-env": { secret: "router-env" },
      "verify-url": input("public-url"),
      "verify-path": input("verify-path"),
      "verify-expect": input("verify-expect"),
      version: input("version"),
      "previous-version": AT_RUN_TIME,
      environment: input("environment"),
      "traffic-steps": input("traffic-steps"),
      "step-duration": input("step-duration"),
      metrics: { input: "metrics", onlyWith: ["traffic-steps"] },
      "alert-rules": { input: "alert-rules", onlyWith: ["traffic-steps"] },
      scope: { input: "scope", onlyWith: ["traffic-steps"] },
      "prometheus-url": { input: "prometheus-url", onlyWith: ["metrics", "alert-rules"], alsoWith: "traffic-steps" },
      "prometheus-headers": { secret: "prometheus-headers" },
      "analysis-interval": input("bake-interval"),
      "failure-limit": input("failure-limit"),
      "inconclusive-limit": input("inconclusive-limit"),
      "on-inconclusive": input("on-inconclusive"),
    },
  },
  {
    name: "7 · Bake",
    spec: healthGate,
    with: {
      url: input("public-url"),
      path: input("bake-path"),
      expect: input("bake-expect"),
      "bake-duration": input("bake-duration"),
      interval: input("bake-interval"),
      "unhealthy-threshold": { value: "2" },
      metrics: input("metrics"),
      "prometheus-url": { input: "prometheus-url", onlyWith: ["metrics", "alert-rules"] },
      "prometheus-headers": { secret: "prometheus-headers" },
      "analysis-interval": input("bake-interval"),
      scope: input("scope"),
      "alert-rules": input("alert-rules"),
      "initial-delay": input("initial-delay"),
      "failure-limit": input("failure-limit"),
      "inconclusive-limit": input("inconclusive-limit"),
      "on-inconclusive": input("on-inconclusive"),
      color: COLOR,
      "previous-color": OTHER_COLOR,
      version: input("version"),
      "previous-version": AT_RUN_TIME,
      environment: input("environment"),
    },
  },
  {
    name: "✗ Revert this run's migrations",
    when: MIGRATIONS,
    whenAlso: "migrate-down-on-failure",
    spec: migrate,
    with: {
      mode: { value: "down" },
      "database-url": { secret: "database-url" },
      "migrations-dir": input("migrations-dir"),
      // The version the run started from, known at run time; any version passes here.
      "target-schema": { value: "0" },
      "migrations-version-command": input("migrations-version-command"),
      "migrations-down-command": input("migrations-down-command"),
    },
  },
  {
    name: "8 · Update the Slack message",
    spec: notifySlack,
    with: {
      status: { value: "failure" },
      environment: input("environment"),
      "slack-mention": input("slack-mention"),
    },
  },
];
