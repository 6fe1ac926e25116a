import type { RenamedName, Vocabulary } from "./names-in-use.js";

/**
 * What breaks the one-name-per-concept rule: a name in use that the glossary does not list (a new
 * or renamed input must be placed in the vocabulary on purpose), a glossary row whose users differ
 * from the files that use it, a listed name nobody uses, and a renamed name back in use where it
 * was retired.
 */
export function namingProblems(vocabulary: Vocabulary, documented: Map<string, Set<string>>, renamed: readonly RenamedName[]): string[] {
  const inUse = vocabulary.names;
  const problems: string[] = [];
  for (const [name, users] of inUse) {
    const listed = documented.get(name);
    if (!listed) problems.push(`\`${name}\` (${[...users].join(", ")}) is not in docs/naming.md`);
    else if (!sameSet(users, listed))
      problems.push(`\`${name}\` is used by ${[...users].sort().join(", ")} but docs/naming.md says ${[...listed].sort().join(", ")}`);
  }
  for (const name of documented.keys()) if (!inUse.has(name)) problems.push(`\`${name}\` is in docs/naming.md but used nowhere`);
  // `smoke-test` retires an input, `migrate output` an output, `deploy.yml input` a workflow input.
  for (const { where, old, current } of renamed) {
    if (vocabulary.byKind.get(where)?.has(old)) problems.push(`\`${old}\` was renamed to \`${current}\` but ${where} uses it again`);
  }
  return problems.sort();
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((item) => b.has(item));
}
