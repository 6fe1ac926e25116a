import { isAlias, isScalar, LineCounter, parseDocument, visit } from "yaml";
import { z } from "zod";

const PLAIN = "plain YAML or JSON without anchors (&), aliases (*), tags (!) or merge keys (<<): a secret input is read literally";

/**
 * A structured input that holds secrets (headers, router-env). Its text is never quoted in an
 * error, and YAML features that change what a value means — anchors, aliases, tags, merge keys —
 * are refused rather than resolved, so what the user wrote is what is sent.
 */
export function secretStructuredInput<T extends z.ZodType>(schema: T) {
  return z
    .string()
    .transform((text, ctx) => {
      const lines = new LineCounter();
      // logLevel silent: yaml would otherwise print warnings naming tags from the secret text.
      const doc = parseDocument(text, { uniqueKeys: true, logLevel: "silent", lineCounter: lines });
      const at = (offset: number | undefined) => {
        if (offset === undefined) return "";
        const { line, col } = lines.linePos(offset);
        return ` at line ${line}, column ${col}`;
      };
      const error = doc.errors[0];
      if (error) {
        // The error's code and place only: yaml's own message quotes the source.
        ctx.addIssue({ code: "custom", message: "a YAML or JSON document", params: { syntaxError: `${error.code}${at(error.pos[0])}` } });
        return z.NEVER;
      }
      const feature = yamlFeatureIn(doc);
      if (feature) {
        // The line only: the node's column would count the characters of the secret before it.
        const line = feature.offset === undefined ? "" : ` on line ${lines.linePos(feature.offset).line}`;
        ctx.addIssue({ code: "custom", message: PLAIN, params: { given: `${feature.what}${line}` } });
        return z.NEVER;
      }
      return doc.toJS() as unknown;
    })
    .pipe(schema);
}

/** The first anchor, alias, explicit tag or merge key in a document, with where it starts. */
function yamlFeatureIn(doc: ReturnType<typeof parseDocument>): { what: string; offset: number | undefined } | undefined {
  let found: { what: string; offset: number | undefined } | undefined;
  visit(doc, {
    Alias(_key, node) {
      found = { what: "an alias (*)", offset: node.range?.[0] };
      return visit.BREAK;
    },
    Pair(_key, pair) {
      if (isScalar(pair.key) && pair.key.value === "<<") {
        found = { what: "a merge key (<<)", offset: pair.key.range?.[0] };
        return visit.BREAK;
      }
      return undefined;
    },
    Node(_key, node) {
      if (isAlias(node)) return undefined;
      if (node.anchor) found = { what: "an anchor (&)", offset: node.range?.[0] };
      else if (node.tag) found = { what: "a tag (!)", offset: node.range?.[0] };
      return found ? visit.BREAK : undefined;
    },
  });
  return found;
}
