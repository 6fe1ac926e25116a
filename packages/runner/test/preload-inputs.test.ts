import { inputVariable, Redactor, textInput } from "@cutover/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineAction } from "../src/action-spec.js";
import { preloadInputs } from "../src/preload-inputs.js";
import { readInputs } from "../src/read-inputs.js";

describe("preloadInputs", () => {
  function example() {
    const loads: string[] = [];
    let grammar: string | undefined;
    const loadGrammar = async () => {
      loads.push("grammar");
      grammar = "loaded";
    };
    const needsGrammar = z.string().refine(() => {
      if (!grammar) throw new Error("grammar not loaded");
      return true;
    });
    const spec = defineAction({
      name: "example",
      inputs: { metrics: needsGrammar.optional(), scope: needsGrammar.optional(), other: textInput().optional() },
      preload: { metrics: loadGrammar, scope: loadGrammar },
    });
    return { spec, loads };
  }

  it("awaits the loader of each given input, once, so the synchronous schemas find it loaded", async () => {
    const { spec, loads } = example();
    const env = { [inputVariable("metrics")]: "up", [inputVariable("scope")]: "color" };
    await preloadInputs(spec, env);
    expect(loads).toEqual(["grammar"]);
    expect(readInputs(spec, new Redactor(), env)).toEqual({ metrics: "up", scope: "color" });
  });

  it("loads nothing for inputs left out or blank", async () => {
    const { spec, loads } = example();
    await preloadInputs(spec, { [inputVariable("metrics")]: "", [inputVariable("scope")]: "  ", [inputVariable("other")]: "x" });
    expect(loads).toEqual([]);
  });
});
