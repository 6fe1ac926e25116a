import { ConfigError, structuredInput, toConfigIssues } from "@cutover/core";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createRouter, routerSchema } from "../src/index.js";

const input = structuredInput(routerSchema);

/** The messages a user would see for a router block, as readInputs renders them. */
function problems(yaml: string): string[] {
  const result = input.safeParse(yaml);
  if (result.success) return [];
  return toConfigIssues("router", parse(yaml), result.error.issues).map((i) => `${i.path}: ${i.given ?? "nothing"} -> ${i.expected}`);
}

const nginx = `
provider: nginx
upstream-file: /etc/nginx/conf.d/app-upstream.conf
colors:
  blue: ["10.0.0.5:8080"]
  green: ["10.0.0.6:8080", "10.0.0.7:8080 weight=2"]
`;

describe("routerSchema", () => {
  it("accepts the documented nginx block and fills the defaults", () => {
    const config = input.parse(nginx);
    expect(config).toMatchObject({
      provider: "nginx",
      "upstream-name": "app",
      "test-command": "nginx -t",
      "reload-command": "nginx -s reload",
      "command-timeout": 30_000,
    });
  });

  it("fills ssh defaults: port 22, strict host key checking", () => {
    const config = input.parse(`${nginx}ssh: { host: app1.example.com, user: deploy }\n`);
    expect(config.provider === "nginx" && config.ssh).toEqual({
      host: "app1.example.com",
      user: "deploy",
      port: 22,
      "strict-host-key-checking": "yes",
      "connect-timeout": 10_000,
    });
  });

  it("names the providers when the provider is unknown", () => {
    expect(problems("provider: traefik\n")).toEqual([
      `provider: "traefik" -> one of "nginx", "haproxy", "command", "kubernetes", "aws-alb"`,
    ]);
  });

  it("rejects missing colors, a color with no servers, and a relative upstream-file", () => {
    expect(problems("provider: nginx\nupstream-file: /x.conf\n")).toEqual(["colors: nothing -> a object"]);
    expect(problems("provider: nginx\nupstream-file: /x.conf\ncolors: { blue: [a:1] }\n")).toEqual(["colors.green: nothing -> a array"]);
    expect(problems("provider: nginx\nupstream-file: /x.conf\ncolors: { blue: [a:1], green: [] }\n")).toEqual([
      "colors.green: [] -> at least 1 item(s)",
    ]);
    const relative = problems("provider: nginx\nupstream-file: conf.d/app.conf\ncolors: { blue: [a:1], green: [b:2] }\n");
    expect(relative).toEqual([`upstream-file: "conf.d/app.conf" -> an absolute path, such as /etc/nginx/conf.d/app-upstream.conf`]);
  });

  it("refuses a server entry that would break out of the upstream block", () => {
    const out = problems("provider: nginx\nupstream-file: /x.conf\ncolors: { blue: ['a:1; } server { listen 80'], green: [b:2] }\n");
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^colors\.blue\[0\]: .* -> an address such as/);
  });

  it("rejects unknown keys by name", () => {
    expect(problems(`${nginx}reload: nginx -s reload\n`)).toEqual([
      "reload: unknown key 'reload' -> only known keys (check the spelling or the documentation)",
    ]);
  });

  it("requires both commands for the command provider", () => {
    expect(problems("provider: command\nswitch-command: ./switch.sh\n")).toEqual(["status-command: nothing -> a string"]);
    expect(input.parse("provider: command\nswitch-command: a\nstatus-command: b\n")).toMatchObject({ "command-timeout": 60_000 });
  });
});

describe("ssh host key checking (issue 12 item 7)", () => {
  it("refuses accept-new: with a fresh known_hosts every run it would trust any key", () => {
    expect(problems(`${nginx}ssh: { host: app1.example.com, strict-host-key-checking: accept-new }\n`)).toEqual([
      expect.stringMatching(
        /^ssh\.strict-host-key-checking: "accept-new" -> yes, the only mode: accept-new trusted whatever key the host offered/,
      ),
    ]);
  });

  it("still accepts an explicit yes", () => {
    expect(problems(`${nginx}ssh: { host: app1.example.com, strict-host-key-checking: yes }\n`)).toEqual([]);
  });
});

describe("createRouter", () => {
  it("refuses ssh without known hosts, before connecting", async () => {
    const config = input.parse(`${nginx}ssh: { host: 127.0.0.1, port: 1 }\n`);
    const error = await createRouter(config, { sshKey: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]).toMatchObject({ input: "ssh-known-hosts" });
  });

  it("describes a local nginx router without secrets", async () => {
    const router = await createRouter(input.parse(nginx));
    expect(router.provider).toBe("nginx");
    expect(router.describe()).toBe("nginx upstream 'app' in /etc/nginx/conf.d/app-upstream.conf");
    await router.close();
  });
});
