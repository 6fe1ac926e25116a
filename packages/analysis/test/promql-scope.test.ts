import { beforeAll, describe, expect, it } from "vitest";
import { loadPromqlGrammar } from "../src/promql-grammar.js";
import { PromqlSyntaxError, parseSelector, promqlSyntaxError, scopeQuery } from "../src/promql-scope.js";

beforeAll(loadPromqlGrammar);

const green = { color: "green" };

describe("scopeQuery", () => {
  it("scopes every selector of a pasted error-ratio expression, inside range vectors too", () => {
    expect(scopeQuery('sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.05', green)).toBe(
      'sum(rate(http_requests_total{color="green",code=~"5.."}[5m])) / sum(rate(http_requests_total{color="green"}[5m])) > 0.05',
    );
  });

  it("scopes histogram_quantile over buckets without touching grouping labels", () => {
    expect(scopeQuery("histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))", green)).toBe(
      'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{color="green"}[5m])))',
    );
  });

  it("handles subqueries, offsets, bare matchers, empty braces and several labels", () => {
    const scope = { color: "blue", version: "v1.2" };
    expect(scopeQuery("max_over_time(up[10m:1m] offset 5m)", scope)).toBe(
      'max_over_time(up{color="blue",version="v1.2"}[10m:1m] offset 5m)',
    );
    expect(scopeQuery('{__name__="up"}', scope)).toBe('{color="blue",version="v1.2",__name__="up"}');
    expect(scopeQuery("up{}", scope)).toBe('up{color="blue",version="v1.2"}');
    expect(scopeQuery('up{job="a",}', scope)).toBe('up{color="blue",version="v1.2",job="a",}');
  });

  it("leaves string arguments, label names in functions and scalars alone", () => {
    expect(scopeQuery('label_replace(up, "dst", "$1", "color", "(.*)") or vector(0)', green)).toBe(
      'label_replace(up{color="green"}, "dst", "$1", "color", "(.*)") or vector(0)',
    );
    expect(scopeQuery("1 + 2", green)).toBe("1 + 2");
  });

  it("escapes label values as PromQL strings", () => {
    expect(scopeQuery("up", { version: 'a"b\\c' })).toBe('up{version="a\\"b\\\\c"}');
  });

  it("returns the query unchanged with an empty scope", () => {
    expect(scopeQuery("sum(up)", {})).toBe("sum(up)");
  });

  it("refuses text the grammar does not accept, pointing at the column", () => {
    expect(() => scopeQuery("sum(rate(x[5m])", green)).toThrow(PromqlSyntaxError);
    expect(promqlSyntaxError("sum(rate(x[5m]))")).toBeUndefined();
    expect(promqlSyntaxError('up{code="500"')?.message).toMatch(/^not valid PromQL at column \d+: up\{code="500"⟨here⟩/);
  });
});

describe("parseSelector", () => {
  it("reads a selector's metric name and matchers", () => {
    expect(parseSelector('http_requests_total{code=~"5.."}')).toEqual({ metric: "http_requests_total", matchers: 'code=~"5.."' });
    expect(parseSelector("http_request_duration_seconds")).toEqual({ metric: "http_request_duration_seconds", matchers: "" });
  });

  it("refuses anything but one selector", () => {
    expect(parseSelector("rate(x[5m])")).toEqual({ problem: expect.stringContaining("FunctionCall where a series selector") });
    expect(parseSelector("x[5m]")).toEqual({ problem: expect.stringContaining("MatrixSelector") });
  });
});
