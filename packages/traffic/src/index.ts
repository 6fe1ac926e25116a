export { type ActiveBeforeSwitch, activeBeforeSwitch } from "./active-before-switch.js";
export { COLORS, type Color, isColor, otherColor } from "./color.js";
export { type ColorProbe, probeColor } from "./color-probe.js";
export { type CommandRouterConfig, commandRouterSchema } from "./command/command-schema.js";
export { expectForColor } from "./expect-for-color.js";
export { type HaproxyRouterConfig, haproxyRouterSchema } from "./haproxy/haproxy-schema.js";
export type { ExecOptions, Host } from "./host.js";
export { InterruptedSwitchError } from "./interrupted-switch-error.js";
export { LocalHost } from "./local-host.js";
export { type NginxRouterConfig, nginxRouterSchema } from "./nginx/nginx-schema.js";
export { readUpstreamFile, renderUpstreamFile, type UpstreamFileState } from "./nginx/upstream-file.js";
export { createRouter, type RouterConfig, routerProviderNames, routerSchema } from "./provider-registry.js";
export type { Router, RouterCallOptions, SwitchResult, SwitchStep } from "./router.js";
export { openRouter, type RouterAccess, routerAccessInputs, routerAccessSecrets } from "./router-access.js";
export { routerEnvSchema } from "./router-env.js";
export { RouterError, type RouterErrorDetails } from "./router-error.js";
export { defineProvider, type RouterContext, type RouterProvider } from "./router-provider.js";
export { type ShiftInStepsOptions, type StepJudgement, shiftInSteps } from "./shift-in-steps.js";
export { removeSshLeftovers, type SshLeftover } from "./ssh-leftovers.js";
export { type SshConfig, sshSchema } from "./ssh-schema.js";
export { newSwitchRecord, type SwitchRecord, type TrafficStep } from "./switch-record.js";
export { resolveSwitchTarget } from "./switch-target.js";
export { revertSwitch, type SwitchVerifyRevertOptions, switchVerifyRevert } from "./switch-verify-revert.js";
export { trafficStepInputs, trafficStepsSchema } from "./traffic-steps.js";
export {
  allTo,
  dominantColor,
  formatWeights,
  parseWeights,
  sameWeights,
  soleColor,
  type TrafficWeights,
  trafficWeightsSchema,
} from "./traffic-weights.js";
export { describeAttempt, describeLastAnswer, verificationFindings } from "./verification-findings.js";
export { CONSECUTIVE_PASSES, type VerificationResult, type VerifyOptions, verifySwitch } from "./verify-switch.js";
