// Installs the bench-only peers (npm autocannon, dbmate) into a temporary directory outside the
// repository, once per machine, so `npm ci` of the repository never sees their platform binaries.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PEERS = ["autocannon@9", "dbmate@2.36.0"];
const dir = process.env.CUTOVER_BENCH_PEERS ?? join(tmpdir(), "cutover-bench-peers");

/** The directory whose node_modules holds the peers; installs them on first use. */
export function peersDirectory() {
  if (!existsSync(join(dir, "node_modules", "autocannon")) || !existsSync(join(dir, "node_modules", ".bin", "dbmate"))) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "cutover-bench-peers", private: true }));
    execFileSync("npm", ["install", "--no-save", "--no-audit", "--no-fund", ...PEERS], { cwd: dir, stdio: "inherit" });
  }
  return dir;
}
