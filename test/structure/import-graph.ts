// The import graph of the TypeScript sources (actions/*/src, packages/*/src), read with the
// TypeScript compiler's own import scanner, for the structure tests: no cycles, arrows one way.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

export const repoRoot = resolve(import.meta.dirname, "../..");

/** Every .ts file under `dir`, recursively. */
export function typescriptFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return typescriptFiles(path);
    return name.endsWith(".ts") && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** The source directories the structure rules cover: actions/<name>/src and packages/<name>/src. */
export function sourceDirs(): string[] {
  return ["actions", "packages"].flatMap((top) =>
    readdirSync(join(repoRoot, top))
      .map((name) => join(repoRoot, top, name, "src"))
      .filter((dir) => existsSync(dir)),
  );
}

/** Where `@cutover/<name>[/<subpath>]` points, from the workspace package's `exports`. */
function workspaceTarget(specifier: string): string | undefined {
  const match = /^@cutover\/([^/]+)(\/.*)?$/.exec(specifier);
  if (!match) return undefined;
  const dir = join(repoRoot, "packages", match[1] as string);
  const manifest = join(dir, "package.json");
  if (!existsSync(manifest)) return undefined;
  const exports = (JSON.parse(readFileSync(manifest, "utf8")) as { exports?: Record<string, string> }).exports ?? {};
  const target = exports[match[2] ? `.${match[2]}` : "."];
  return target ? resolve(dir, target) : undefined;
}

/** The source file an import specifier names, or undefined for a library outside the repository. */
export function resolveImport(from: string, specifier: string): string | undefined {
  if (specifier.startsWith(".")) {
    const base = resolve(dirname(from), specifier);
    for (const candidate of [base.replace(/\.js$/, ".ts"), base, `${base}.ts`, join(base, "index.ts")]) {
      if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    }
    return undefined;
  }
  return workspaceTarget(specifier);
}

/** Each file → the repository files it imports (static, dynamic and type imports alike). */
export function importGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const scanned = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    const targets = scanned.importedFiles
      .map((ref) => resolveImport(file, ref.fileName))
      .filter((target): target is string => target !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** The cycles of a graph: each strongly connected component of more than one node, or a node importing itself. */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  // Tarjan's algorithm, iterative-free: source trees are shallow enough for recursion.
  let index = 0;
  const indices = new Map<string, number>();
  const lowlinks = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string) => {
    indices.set(node, index);
    lowlinks.set(node, index);
    index++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        lowlinks.set(node, Math.min(lowlinks.get(node) as number, lowlinks.get(next) as number));
      } else if (onStack.has(next)) {
        lowlinks.set(node, Math.min(lowlinks.get(node) as number, indices.get(next) as number));
      }
    }
    if (lowlinks.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.reverse());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return cycles;
}

/** A path relative to the repository, for messages. */
export function shown(path: string): string {
  return relative(repoRoot, path);
}
