import { ConfigError } from "@cutover/core";
import { githubContextVariables, runAction, setOutputs, writeSummary } from "@cutover/runner";
import { checkSteps } from "./check-steps.js";
import { preflight } from "./inputs.js";
import { checkReachable } from "./reachability.js";
import { checkRouterReachable } from "./router-reachability.js";
import { checkWorkflow } from "./workflow-checks.js";
import { WORKFLOW_STEPS } from "./workflow-steps.js";

await runAction(preflight, async (inputs, { redactor, log, workspace, github, signal, tempDir }) => {
  const secrets = {
    "database-url": inputs["database-url"],
    "router-env": inputs["router-env"],
    "prometheus-headers": inputs["prometheus-headers"],
    "ssh-key": inputs["ssh-key"],
    "ssh-known-hosts": inputs["ssh-known-hosts"],
  };
  const steps = WORKFLOW_STEPS[inputs.workflow];
  const { issues, checked } = await checkSteps({
    steps,
    inputs: inputs["workflow-inputs"],
    secrets,
    redactor,
    runnerVariables: githubContextVariables(github),
  });
  issues.push(
    ...(await checkWorkflow({
      workflow: inputs.workflow,
      inputs: inputs["workflow-inputs"],
      secrets,
      workspace,
    })),
  );
  // Only a configuration that parses is worth a network round trip.
  if (issues.length === 0) {
    issues.push(...(await checkReachable(inputs["workflow-inputs"], secrets)));
    issues.push(...(await checkRouterReachable({ inputs: inputs["workflow-inputs"], secrets, redactor, signal, tempDir })));
  }
  if (issues.length > 0) throw new ConfigError(issues);
  const given = Object.values(inputs["workflow-inputs"]).filter(Boolean).length;
  log.info(`Preflight: ${given} input(s) checked with the schemas of ${checked} step(s) of ${inputs.workflow}.yml; nothing was changed`);
  setOutputs({ checked }, redactor);
  await writeSummary(
    `### Preflight\n\n${given} input(s) checked against the ${checked} step(s) of ${inputs.workflow}.yml that take them: all valid.\n`,
    redactor,
  );
});
