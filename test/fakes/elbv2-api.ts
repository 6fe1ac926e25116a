import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A fake of the Elastic Load Balancing v2 Query API (version 2015-12-01) for what the aws-alb router
 * uses: DescribeListeners, DescribeRules, ModifyListener, ModifyRule, DescribeTargetHealth. A real
 * HTTP server on 127.0.0.1 that the real @aws-sdk/client-elastic-load-balancing-v2 talks to, with
 * the Query protocol's form-encoded requests and XML responses, enforcing, from the API reference
 * and independently of @cutover/traffic:
 *
 * - SigV4 `Authorization` headers scoped to the `elasticloadbalancing` service and a known access
 *   key (403 InvalidClientTokenId otherwise), and IAM refusals (403 AccessDenied naming the action
 *   and the resource ARN);
 * - forward actions: weights 0..999, at most 5 target groups, no target group twice, target groups
 *   that exist (TargetGroupNotFound) and belong to no other load balancer
 *   (TargetGroupAssociationLimit), stickiness duration 1..604800 s; ValidationError otherwise;
 * - the default rule changes only through ModifyListener (OperationNotPermitted on ModifyRule);
 * - target health: targets of a target group no listener or rule forwards to are `unused`
 *   (`Target.NotInUse`), as the ALB reports them; a weight of 0 still counts as in use;
 * - Throttling (`Rate exceeded`) on demand.
 *
 * It also serves each listener's traffic (`listenerUrl`): requests are forwarded to the healthy
 * targets of the forward action's target groups, chosen by weight, as the load balancer would.
 */

const NS = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";
export const FAKE_ACCOUNT = "123456789012";
export const FAKE_REGION = "eu-west-1";
const MAX_WEIGHT = 999;
const MAX_TARGET_GROUPS = 5;

type TargetState = "initial" | "healthy" | "unhealthy" | "draining" | "unavailable";

export interface FakeTarget {
  /** `127.0.0.1` here (an instance ID or IP in AWS). */
  id: string;
  port: number;
  state: TargetState;
}

interface TargetGroupTuple {
  TargetGroupArn: string;
  Weight?: number;
}
interface Action {
  Type: string;
  Order?: number;
  TargetGroupArn?: string;
  ForwardConfig?: { TargetGroups?: TargetGroupTuple[]; TargetGroupStickinessConfig?: { Enabled?: boolean; DurationSeconds?: number } };
}
interface Listener {
  arn: string;
  loadBalancerArn: string;
  port: number;
  actions: Action[];
}
interface Rule {
  arn: string;
  listenerArn: string;
  priority: string;
  actions: Action[];
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly type: "Sender" | "Receiver" = "Sender",
  ) {
    super(message);
  }
}

export class FakeElbv2 {
  /** Access key ID → IAM principal ARN. */
  readonly accessKeys = new Map<string, string>([["AKIAFAKEDEPLOYER0001", `arn:aws:iam::${FAKE_ACCOUNT}:user/deployer`]]);
  /** API actions (e.g. `ModifyListener`) IAM refuses. */
  readonly denied = new Set<string>();
  readonly calls: { action: string; status: number; code?: string; params: Record<string, string> }[] = [];
  readonly listeners = new Map<string, Listener>();
  readonly rules = new Map<string, Rule>();
  readonly targetGroups = new Map<string, { name: string; loadBalancerArns: Set<string>; targets: FakeTarget[] }>();
  url = "";
  private throttled = 0;
  private counter = 0;
  private readonly server = createServer((req, res) => this.receive(req, res));
  private readonly fronts: Server[] = [];

  static async start(): Promise<FakeElbv2> {
    const fake = new FakeElbv2();
    await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** Creates a load balancer with one HTTP listener; returns the ARNs. */
  addLoadBalancer(name: string): { loadBalancerArn: string; listenerArn: string } {
    const id = (++this.counter).toString(16).padStart(16, "0");
    const loadBalancerArn = `arn:aws:elasticloadbalancing:${FAKE_REGION}:${FAKE_ACCOUNT}:loadbalancer/app/${name}/${id}`;
    const listenerArn = `arn:aws:elasticloadbalancing:${FAKE_REGION}:${FAKE_ACCOUNT}:listener/app/${name}/${id}/${id.replace(/0/g, "a")}`;
    this.listeners.set(listenerArn, { arn: listenerArn, loadBalancerArn, port: 80, actions: [{ Type: "fixed-response", Order: 1 }] });
    return { loadBalancerArn, listenerArn };
  }

  addTargetGroup(name: string, targets: FakeTarget[]): string {
    const id = (++this.counter).toString(16).padStart(16, "0");
    const arn = `arn:aws:elasticloadbalancing:${FAKE_REGION}:${FAKE_ACCOUNT}:targetgroup/${name}/${id}`;
    this.targetGroups.set(arn, { name, loadBalancerArns: new Set(), targets });
    return arn;
  }

  /** Sets the listener's default action to forward to these target groups (as set-up outside cutover would). */
  forward(listenerArn: string, groups: TargetGroupTuple[]): void {
    const listener = this.listeners.get(listenerArn);
    if (!listener) throw new Error(`no listener ${listenerArn}`);
    listener.actions = [{ Type: "forward", Order: 1, ForwardConfig: { TargetGroups: groups } }];
    this.associate(listener.loadBalancerArn, listener.actions);
  }

  /** Adds a non-default rule to a listener, forwarding to these target groups. */
  addRule(listenerArn: string, priority: number, groups: TargetGroupTuple[]): string {
    const listener = this.listeners.get(listenerArn);
    if (!listener) throw new Error(`no listener ${listenerArn}`);
    const arn = `${listenerArn.replace(":listener/", ":listener-rule/")}/${(++this.counter).toString(16).padStart(16, "0")}`;
    const actions = [{ Type: "forward", Order: 1, ForwardConfig: { TargetGroups: groups } }];
    this.rules.set(arn, { arn, listenerArn, priority: String(priority), actions });
    this.associate(listener.loadBalancerArn, actions);
    return arn;
  }

  setTargetState(targetGroupArn: string, state: TargetState): void {
    for (const target of this.targetGroups.get(targetGroupArn)?.targets ?? []) target.state = state;
  }

  /** The next `times` calls fail with Throttling (HTTP 400, as ELBv2 answers it). */
  throttle(times: number): void {
    this.throttled = times;
  }

  /** The weights (by target group ARN) the listener's default action forwards with now. */
  weightsOf(listenerOrRuleArn: string): Record<string, number> {
    const actions = this.listeners.get(listenerOrRuleArn)?.actions ?? this.rules.get(listenerOrRuleArn)?.actions ?? [];
    const forward = actions.find((a) => a.Type === "forward");
    return Object.fromEntries((forward?.ForwardConfig?.TargetGroups ?? []).map((g) => [g.TargetGroupArn, g.Weight ?? 1]));
  }

  /** An HTTP front that forwards each request as the listener's default action says (weighted), adding `headers`. */
  async listenerUrl(listenerArn: string, headers: Record<string, string> = {}): Promise<string> {
    const front = createServer((req, res) => {
      const weights = Object.entries(this.weightsOf(listenerArn)).filter(([, w]) => w > 0);
      const total = weights.reduce((sum, [, w]) => sum + w, 0);
      const pick = Math.random() * total;
      let sum = 0;
      const chosen = weights.find(([, w]) => {
        sum += w;
        return pick < sum;
      })?.[0];
      const target = chosen ? this.targetGroups.get(chosen)?.targets.find((t) => t.state === "healthy") : undefined;
      if (!target) {
        res.writeHead(503).end("fake ALB: no healthy target");
        return;
      }
      const upstream = request(
        {
          hostname: target.id,
          port: target.port,
          path: req.url,
          method: req.method,
          headers: { ...req.headers, ...headers },
          agent: false,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on("error", () => res.writeHead(502).end("fake ALB: target unreachable"));
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
    this.fronts.push(front);
    return `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const server of [this.server, ...this.fronts]) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  private associate(loadBalancerArn: string, actions: Action[]): void {
    for (const arn of forwardedGroups(actions)) this.targetGroups.get(arn)?.loadBalancerArns.add(loadBalancerArn);
  }

  private receive(req: IncomingMessage, res: ServerResponse): void {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", () => {
      const params = Object.fromEntries(new URLSearchParams(body));
      const action = params.Action ?? "";
      const requestId = randomUUID();
      try {
        const result = this.handle(req, action, params);
        this.calls.push({ action, status: 200, params });
        res.writeHead(200, { "content-type": "text/xml", "x-amzn-requestid": requestId });
        res.end(
          `<${action}Response xmlns="${NS}"><${action}Result>${xml(result)}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
        );
      } catch (error) {
        const apiError = error instanceof ApiError ? error : new ApiError(500, "InternalFailure", (error as Error).message, "Receiver");
        this.calls.push({ action, status: apiError.status, code: apiError.code, params });
        res.writeHead(apiError.status, { "content-type": "text/xml", "x-amzn-requestid": requestId });
        res.end(
          `<ErrorResponse xmlns="${NS}"><Error><Type>${apiError.type}</Type><Code>${apiError.code}</Code><Message>${escapeXml(apiError.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
        );
      }
    });
  }

  private handle(req: IncomingMessage, action: string, params: Record<string, string>): unknown {
    const principal = this.authenticate(req);
    if (params.Version !== "2015-12-01")
      throw new ApiError(
        400,
        "InvalidAction",
        `Could not find operation ${action} for version ${params.Version ?? "NO_VERSION_SPECIFIED"}`,
      );
    if (this.throttled > 0) {
      this.throttled--;
      throw new ApiError(400, "Throttling", "Rate exceeded");
    }
    const input = unflatten(params) as Record<string, unknown>;
    const resource = (input.ListenerArn ??
      input.RuleArn ??
      input.TargetGroupArn ??
      (input.ListenerArns as string[] | undefined)?.[0] ??
      (input.RuleArns as string[] | undefined)?.[0] ??
      "*") as string;
    if (this.denied.has(action)) {
      throw new ApiError(
        403,
        "AccessDenied",
        `User: ${principal} is not authorized to perform: elasticloadbalancing:${action} on resource: ${resource} because no identity-based policy allows the elasticloadbalancing:${action} action`,
      );
    }
    switch (action) {
      case "DescribeListeners": {
        const arns = (input.ListenerArns as string[] | undefined) ?? [];
        if (arns.length === 0) throw new ApiError(400, "ValidationError", "A load balancer ARN or listener ARNs must be specified");
        return { Listeners: arns.map((arn) => this.listenerXml(this.listener(arn))) };
      }
      case "DescribeRules": {
        const arns = (input.RuleArns as string[] | undefined) ?? [];
        if (arns.length === 0) throw new ApiError(400, "ValidationError", "A listener ARN or rule ARNs must be specified");
        return {
          Rules: arns.map((arn) => {
            const rule = this.rule(arn);
            return { RuleArn: rule.arn, Priority: rule.priority, Conditions: [], Actions: rule.actions, IsDefault: false };
          }),
        };
      }
      case "ModifyListener": {
        const listener = this.listener(required(input, "ListenerArn"));
        const actions = input.DefaultActions as Action[] | undefined;
        if (actions) {
          this.validateActions(actions, "defaultActions", listener.loadBalancerArn);
          listener.actions = actions;
          this.associate(listener.loadBalancerArn, actions);
        }
        return { Listeners: [this.listenerXml(listener)] };
      }
      case "ModifyRule": {
        const arn = required(input, "RuleArn");
        if (!this.rules.has(arn) && [...this.listeners.keys()].some((l) => arn.startsWith(l.replace(":listener/", ":listener-rule/")))) {
          throw new ApiError(400, "OperationNotPermitted", "Default rule cannot be modified; use ModifyListener");
        }
        const rule = this.rule(arn);
        const actions = input.Actions as Action[] | undefined;
        if (actions) {
          const listener = this.listener(rule.listenerArn);
          this.validateActions(actions, "actions", listener.loadBalancerArn);
          rule.actions = actions;
          this.associate(listener.loadBalancerArn, actions);
        }
        return { Rules: [{ RuleArn: rule.arn, Priority: rule.priority, Conditions: [], Actions: rule.actions, IsDefault: false }] };
      }
      case "DescribeTargetHealth": {
        const arn = required(input, "TargetGroupArn");
        const group = this.targetGroups.get(arn);
        if (!group) throw new ApiError(400, "TargetGroupNotFound", `Target groups '${arn}' not found`);
        const inUse = [...this.listeners.values(), ...this.rules.values()].some((x) => forwardedGroups(x.actions).includes(arn));
        return {
          TargetHealthDescriptions: group.targets.map((t) => ({
            Target: { Id: t.id, Port: t.port },
            HealthCheckPort: String(t.port),
            TargetHealth: inUse
              ? { State: t.state, ...(t.state === "healthy" ? {} : { Reason: reasonFor(t.state), Description: `Target is ${t.state}` }) }
              : {
                  State: "unused",
                  Reason: "Target.NotInUse",
                  Description: "Target group is not configured to receive traffic from the load balancer",
                },
          })),
        };
      }
      default:
        throw new ApiError(400, "InvalidAction", `Could not find operation ${action} for version 2015-12-01`);
    }
  }

  private authenticate(req: IncomingMessage): string {
    const header = req.headers.authorization ?? "";
    const match =
      /^AWS4-HMAC-SHA256 Credential=([A-Z0-9]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=[0-9a-f]{64}$/.exec(
        header,
      );
    if (!match) throw new ApiError(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
    const [, key, , region, service, signed] = match;
    if (service !== "elasticloadbalancing")
      throw new ApiError(403, "SignatureDoesNotMatch", `Credential should be scoped to correct service: 'elasticloadbalancing'.`);
    if (region !== FAKE_REGION)
      throw new ApiError(403, "SignatureDoesNotMatch", `Credential should be scoped to a valid region, not '${region}'.`);
    if (!signed?.split(";").includes("x-amz-date") || !req.headers["x-amz-date"])
      throw new ApiError(403, "IncompleteSignature", "Date must be signed");
    const principal = this.accessKeys.get(key as string);
    if (!principal) throw new ApiError(403, "InvalidClientTokenId", "The security token included in the request is invalid.");
    return principal;
  }

  private listener(arn: string): Listener {
    const listener = this.listeners.get(arn);
    if (!listener) throw new ApiError(400, "ListenerNotFound", `One or more listeners not found`);
    return listener;
  }

  private rule(arn: string): Rule {
    const rule = this.rules.get(arn);
    if (!rule) throw new ApiError(400, "RuleNotFound", "One or more rules not found");
    return rule;
  }

  private listenerXml(listener: Listener): unknown {
    return {
      ListenerArn: listener.arn,
      LoadBalancerArn: listener.loadBalancerArn,
      Port: listener.port,
      Protocol: "HTTP",
      DefaultActions: listener.actions,
    };
  }

  /** The forward action rules of the API reference (field paths as ValidationError names them). */
  private validateActions(actions: Action[], field: string, loadBalancerArn: string): void {
    if (actions.length === 0)
      throw new ApiError(
        400,
        "ValidationError",
        `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
      );
    actions.forEach((action, i) => {
      const at = `${field}.${i + 1}.member`;
      if (!action.Type)
        throw new ApiError(
          400,
          "ValidationError",
          `1 validation error detected: Value null at '${at}.type' failed to satisfy constraint: Member must not be null`,
        );
      if (action.Type !== "forward") return;
      const groups = action.ForwardConfig?.TargetGroups ?? (action.TargetGroupArn ? [{ TargetGroupArn: action.TargetGroupArn }] : []);
      if (groups.length === 0) throw new ApiError(400, "ValidationError", "A target group ARN must be specified for a forward action");
      if (
        action.TargetGroupArn &&
        action.ForwardConfig?.TargetGroups &&
        (groups.length !== 1 || groups[0]?.TargetGroupArn !== action.TargetGroupArn)
      ) {
        throw new ApiError(
          400,
          "ValidationError",
          "You cannot specify a target group in both the action and its forward configuration unless it is the same single target group",
        );
      }
      if (groups.length > MAX_TARGET_GROUPS)
        throw new ApiError(
          400,
          "TooManyTargetGroups",
          `You cannot specify more than ${MAX_TARGET_GROUPS} target groups in a forward action`,
        );
      const seen = new Set<string>();
      groups.forEach((group, j) => {
        const weight = group.Weight;
        if (weight !== undefined && (!Number.isInteger(weight) || weight < 0 || weight > MAX_WEIGHT)) {
          throw new ApiError(
            400,
            "ValidationError",
            `1 validation error detected: Value '${weight}' at '${at}.forwardConfig.targetGroups.${j + 1}.member.weight' failed to satisfy constraint: Member must have value ${weight < 0 ? "greater than or equal to 0" : `less than or equal to ${MAX_WEIGHT}`}`,
          );
        }
        if (seen.has(group.TargetGroupArn))
          throw new ApiError(400, "ValidationError", `Target group '${group.TargetGroupArn}' is specified more than once`);
        seen.add(group.TargetGroupArn);
        const known = this.targetGroups.get(group.TargetGroupArn);
        if (!known) throw new ApiError(400, "TargetGroupNotFound", `Target groups '${group.TargetGroupArn}' not found`);
        if ([...known.loadBalancerArns].some((lb) => lb !== loadBalancerArn)) {
          throw new ApiError(
            400,
            "TargetGroupAssociationLimit",
            `The following target groups cannot be associated with more than one load balancer: ${group.TargetGroupArn}`,
          );
        }
      });
      const stickiness = action.ForwardConfig?.TargetGroupStickinessConfig;
      if (
        stickiness?.Enabled &&
        (stickiness.DurationSeconds === undefined || stickiness.DurationSeconds < 1 || stickiness.DurationSeconds > 604_800)
      ) {
        throw new ApiError(400, "ValidationError", "Target group stickiness duration must be between 1 and 604800 seconds");
      }
    });
  }
}

function forwardedGroups(actions: Action[]): string[] {
  return actions
    .filter((a) => a.Type === "forward")
    .flatMap((a) => a.ForwardConfig?.TargetGroups?.map((g) => g.TargetGroupArn) ?? (a.TargetGroupArn ? [a.TargetGroupArn] : []));
}

function reasonFor(state: TargetState): string {
  return {
    initial: "Elb.InitialHealthChecking",
    unhealthy: "Target.FailedHealthChecks",
    draining: "Target.DeregistrationInProgress",
    unavailable: "Target.HealthCheckDisabled",
    healthy: "",
  }[state];
}

function required(input: Record<string, unknown>, name: string): string {
  const value = input[name];
  if (typeof value !== "string" || value === "") {
    throw new ApiError(
      400,
      "ValidationError",
      `1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

/** Query-protocol parameters (`A.member.1.B=x`) back into objects and arrays; numbers and booleans typed. */
function unflatten(params: Record<string, string>): unknown {
  const root: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(params)) {
    if (name === "Action" || name === "Version") continue;
    const parts = name.split(".");
    let node: Record<string, unknown> | unknown[] = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      if (part === "member") continue;
      const last = i === parts.length - 1;
      const nextIsIndex = parts[i + 1] === "member";
      const key: string | number = Array.isArray(node) ? Number(part) - 1 : part;
      const value = last ? typed(raw) : ((node as Record<string | number, unknown>)[key] ?? (nextIsIndex ? [] : {}));
      (node as Record<string | number, unknown>)[key] = value;
      node = value as Record<string, unknown>;
    }
  }
  return root;
}

function typed(raw: string): unknown {
  if (/^-?\d+$/.test(raw)) return Number(raw);
  if (raw === "true" || raw === "false") return raw === "true";
  return raw;
}

/** Objects to Query-protocol XML: arrays as `<member>` lists. */
function xml(value: unknown): string {
  if (Array.isArray(value)) return value.map((item) => `<member>${xml(item)}</member>`).join("");
  if (value !== null && typeof value === "object") {
    return Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${xml(v)}</${k}>`)
      .join("");
  }
  return escapeXml(String(value));
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
