// The licence list of a bundle, from webpack's own record of the modules it bundled (ncc
// --stats-out). ncc's --license writes one file per chunk under the same name, so with lazily
// loaded chunks (the kubernetes and AWS SDKs) the last chunk's list overwrote the others, and it
// misses ESM packages webpack concatenated. Every package with a module in the stats is listed.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Package roots (…/node_modules/<name> or …/node_modules/@scope/<name>) of every module in `stats`. */
function packageRoots(stats) {
  const roots = new Set();
  const visit = (modules) => {
    for (const module of modules ?? []) {
      const path = (module.identifier ?? "").split("!").at(-1).split("|")[0];
      const match = /^(.*\/node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(path);
      if (match) roots.add(match[1]);
      visit(module.modules);
    }
  };
  visit(stats.modules);
  for (const child of stats.children ?? []) visit(child.modules);
  return roots;
}

function licenseOf(manifest) {
  const license = manifest.license ?? manifest.licenses;
  if (typeof license === "string") return license;
  if (Array.isArray(license)) return license.map((l) => l.type ?? l).join(" OR ");
  return license?.type ?? "UNKNOWN";
}

function licenseText(root) {
  const file = readdirSync(root).find((name) => /^(licen[cs]e|copying)(\..*)?$/i.test(name));
  return file ? readFileSync(join(root, file), "utf8").trim() : "(the package ships no licence file)";
}

/** licenses.txt content: `name\nlicence\ntext` per package, by name, one entry per name and version. */
export function bundleLicenses(statsFile) {
  const stats = JSON.parse(readFileSync(statsFile, "utf8"));
  const entries = new Map();
  for (const root of packageRoots(stats)) {
    const manifestFile = join(root, "package.json");
    if (!existsSync(manifestFile)) continue;
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
    const key = `${manifest.name}@${manifest.version}`;
    if (!entries.has(key)) entries.set(key, `${manifest.name}\n${licenseOf(manifest)}\n${licenseText(root)}`);
  }
  return `${[...entries.keys()]
    .sort()
    .map((key) => entries.get(key))
    .join("\n\n")}\n`;
}
