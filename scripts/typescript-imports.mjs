// Lets plain Node run this repository's TypeScript sources directly (demo, benches): our sources
// import each other as `./x.js`, as NodeNext wants; map such an import to `./x.ts` when only the
// TypeScript file exists. Used with `node --experimental-transform-types --import <this file>`.
import { existsSync } from "node:fs";
import { registerHooks } from "node:module";

registerHooks({
  resolve(specifier, context, next) {
    if (specifier.startsWith(".") && specifier.endsWith(".js") && context.parentURL?.endsWith(".ts")) {
      const candidate = new URL(specifier.replace(/\.js$/, ".ts"), context.parentURL);
      if (existsSync(candidate)) return next(candidate.href, context);
    }
    return next(specifier, context);
  },
});
