// issue 16: HAProxy switched through its runtime API drops nothing. 20 switches at 300 requests a
// second from clients that never retry (fetch over keep-alive), GET and POST separately.
import { createRouter, type Router, routerSchema } from "@cutover/traffic";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HaproxyInstance, haproxyRouterBlock, startHaproxy } from "../../../test/services/haproxy.js";
import { switchUnderLoad } from "../../../test/services/switch-under-load.js";
import { startTwoColorApps, type TwoColorApps } from "../../../test/services/two-color-app.js";

let apps: TwoColorApps;
let haproxy: HaproxyInstance;
let router: Router;

beforeAll(async () => {
  apps = await startTwoColorApps();
  haproxy = await startHaproxy({ servers: { blue1: apps.blue.address, green1: apps.green.address }, disabled: ["green1"] });
  router = await createRouter(routerSchema.parse(haproxyRouterBlock(haproxy)));
  await router.switchTo("blue");
});
afterAll(async () => {
  await router?.close();
  await haproxy?.stop();
  await apps?.close();
});

describe("HAProxy under load from clients that do not retry", () => {
  it.each(["GET", "POST"] as const)(
    "%s: 20 switches at 300 requests/s, none failed",
    async (method) => {
      const result = await switchUnderLoad({ url: haproxy.url, method, rate: 300, switches: 20, switchEveryMs: 300, router });
      expect(result.switches).toBe(20);
      // The load really ran through the switches: both colors answered, many requests per switch
      // (a machine too busy for 300/s skips slots rather than failing them; `skipped` says how many).
      expect(result.sent, JSON.stringify(result)).toBeGreaterThanOrEqual(20 * 20);
      expect(result.byColor.blue ?? 0).toBeGreaterThan(0);
      expect(result.byColor.green ?? 0).toBeGreaterThan(0);
      expect(result.errors).toEqual({});
      expect(result.failed).toBe(0);
    },
    120_000,
  );
});
