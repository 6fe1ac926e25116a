import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LocalHost } from "../src/index.js";
import { keepaliveWarning, readKeepaliveFacts } from "../src/nginx/keepalive-check.js";

const dir = mkdtempSync(join(tmpdir(), "cutover-keepalive-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in nginx binary: prints its version on -v (to stderr, as nginx does) and a config on -T. */
function fakeNginx(version: string, config: string): string {
  const file = join(dir, `nginx-${version}-${config.length}`);
  writeFileSync(file, `case "$*" in *-v*) echo "nginx version: nginx/${version}" >&2;; *-T*) cat <<'CONF'\n${config}\nCONF\n;; esac\n`);
  return file;
}

const facts = (binary: string) =>
  readKeepaliveFacts(new LocalHost(), { "test-command": `sh ${binary} -c /etc/nginx/nginx.conf -t`, "command-timeout": 5_000 });

describe("nginx keep-alive honesty", () => {
  it("warns on nginx before 1.27.4 that idle keep-alive clients may see a reset, pointing to haproxy", async () => {
    const old = await facts(fakeNginx("1.22.1", "http { keepalive_timeout 60s; }"));
    expect(old).toEqual({ version: "1.22.1" });
    expect(keepaliveWarning(old)).toMatch(/nginx 1\.22\.1 has no keepalive_min_timeout \(1\.27\.4\+\).*reset.*provider: haproxy/);
  });

  it("on 1.27.4 and later checks keepalive_min_timeout is set, and says how when it is not", async () => {
    const unset = await facts(fakeNginx("1.27.4", "http {\n  # keepalive_min_timeout 1s;\n  keepalive_timeout 60s;\n}"));
    expect(unset).toEqual({ version: "1.27.4", keepaliveMinTimeout: false });
    expect(keepaliveWarning(unset)).toMatch(/does not set it.*Add `keepalive_min_timeout 1s;`/);
    const set = await facts(fakeNginx("1.29.0", "http {\n  keepalive_min_timeout 2s;\n}"));
    expect(set).toEqual({ version: "1.29.0", keepaliveMinTimeout: true });
    expect(keepaliveWarning(set)).toBeUndefined();
  });

  it("says so when the version cannot be read", async () => {
    const unknown = await readKeepaliveFacts(new LocalHost(), {
      "test-command": `${join(dir, "no-such-nginx")} -t`,
      "command-timeout": 5_000,
    });
    expect(unknown.version).toBeUndefined();
    expect(keepaliveWarning(unknown)).toMatch(/could not read nginx's version/);
  });
});
