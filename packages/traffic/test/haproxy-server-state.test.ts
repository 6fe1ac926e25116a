import { describe, expect, it } from "vitest";
import { sharesOf } from "../src/haproxy/server-shares.js";
import { adminStateName, isServing, parseServersState, parseSessions } from "../src/haproxy/server-state.js";

// Captured from HAProxy 2.6.12 (`show servers state app`): blue1 ready, green1 `disabled` in the config.
const STATE = `1
# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port
3 app 1 blue1 127.0.0.1 2 0 1 1 0 1 0 2 0 0 0 0 - 36975 - 0 0 - - 0
3 app 2 green1 127.0.0.1 0 5 1 1 0 1 0 0 8 0 0 0 - 40633 - 0 0 - - 0
4 other 1 blue1 127.0.0.1 2 1 1 1 0 1 0 2 0 0 0 0 - 36975 - 0 0 - - 0
`;

describe("show servers state", () => {
  it("reads the servers of one backend by column name", () => {
    const servers = parseServersState(STATE, "app");
    expect(servers).toEqual([
      { name: "blue1", operational: 2, admin: 0, weight: 1 },
      { name: "green1", operational: 0, admin: 5, weight: 1 },
    ]);
    expect(servers?.map(adminStateName)).toEqual(["ready", "maint"]);
    expect(servers?.map(isServing)).toEqual([true, false]);
  });

  it("does not count the config's `disabled` memory (0x04) as maintenance once set ready", () => {
    const readied = { name: "green1", operational: 2, admin: 4, weight: 10 };
    expect(adminStateName(readied)).toBe("ready");
    expect(isServing(readied)).toBe(true);
    expect(isServing({ ...readied, admin: 4 | 8 })).toBe(false);
    expect(adminStateName({ ...readied, admin: 8 })).toBe("drain");
    expect(isServing({ ...readied, weight: 0 })).toBe(false);
  });

  it("tells a missing backend from an answer it does not understand", () => {
    expect(parseServersState("Can't find backend.\n", "shop")).toBeUndefined();
    expect(() => parseServersState("Unknown command\n", "app")).toThrow(/unexpected answer to 'show servers state': Unknown command/);
  });

  it("turns server weights into each color's share", () => {
    const servers = new Map(
      [
        { name: "b1", operational: 2, admin: 0, weight: 45 },
        { name: "b2", operational: 2, admin: 0, weight: 45 },
        { name: "g1", operational: 2, admin: 0, weight: 10 },
        { name: "g2", operational: 2, admin: 1, weight: 10 },
      ].map((s) => [s.name, s]),
    );
    expect(sharesOf(servers, { blue: ["b1", "b2"], green: ["g1", "g2"] })).toEqual({ blue: 90, green: 10 });
    expect(sharesOf(new Map(), { blue: ["b1"], green: ["g1"] })).toBeUndefined();
  });
});

describe("show stat", () => {
  it("reads current sessions per server, leaving out the backend's own line", () => {
    const csv = "# pxname,svname,qcur,qmax,scur,smax\napp,blue1,0,0,2,3\napp,green1,0,0,0,0\napp,BACKEND,0,0,2,3\n";
    expect(parseSessions(csv)).toEqual(
      new Map([
        ["blue1", 2],
        ["green1", 0],
      ]),
    );
  });
});
