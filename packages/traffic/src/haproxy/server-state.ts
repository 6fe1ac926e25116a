/** One server line of `show servers state <backend>`. */
export interface ServerState {
  name: string;
  /** srv_op_state: 0 stopped, 1 starting, 2 running, 3 stopping. */
  operational: number;
  /** srv_admin_state bit field (maintenance and drain flags). */
  admin: number;
  /** srv_uweight: the weight the runtime API sets. */
  weight: number;
}

/**
 * Maintenance: forced (`state maint`, or `disabled` in the config), inherited, DNS resolution,
 * hostname. 0x04 (CMAINT) only remembers that the config said `disabled`: it stays set after
 * `state ready`, so it does not count.
 */
const MAINT = 0x01 | 0x02 | 0x20 | 0x40;
/** Forced drain (`state drain`) and inherited drain. */
const DRAIN = 0x08 | 0x10;

/** Receives new requests: not in maintenance, not draining, weight above 0. */
export function isServing(server: ServerState): boolean {
  return (server.admin & (MAINT | DRAIN)) === 0 && server.weight > 0;
}

/** What the admin flags say, in the runtime API's words. */
export function adminStateName(server: ServerState): "ready" | "drain" | "maint" {
  if (server.admin & MAINT) return "maint";
  if (server.admin & DRAIN) return "drain";
  return "ready";
}

/**
 * Parses `show servers state` (format version 1): a version line, a `#` header naming the
 * columns, then one line per server. Columns are found by name so a newer HAProxy adding
 * columns at the end still parses. Returns undefined for "Can't find backend".
 */
export function parseServersState(text: string, backend: string): ServerState[] | undefined {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "");
  if (lines.some((line) => /can't find backend/i.test(line))) return undefined;
  const header = lines.find((line) => line.startsWith("#"));
  if (!header) throw new Error(`unexpected answer to 'show servers state': ${text.trim().slice(0, 200) || "(empty)"}`);
  const columns = header.replace(/^#\s*/, "").split(/\s+/);
  const at = (name: string) => {
    const index = columns.indexOf(name);
    if (index < 0) throw new Error(`'show servers state' has no ${name} column`);
    return index;
  };
  const be = at("be_name");
  const name = at("srv_name");
  const op = at("srv_op_state");
  const admin = at("srv_admin_state");
  const weight = at("srv_uweight");
  return lines
    .filter((line) => !line.startsWith("#") && /\s/.test(line))
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[be] === backend)
    .map((fields) => ({
      name: fields[name] as string,
      operational: Number(fields[op]),
      admin: Number(fields[admin]),
      weight: Number(fields[weight]),
    }));
}

/** Current sessions per server from `show stat <backend> 4 -1` (CSV with a `# pxname,…` header). */
export function parseSessions(csv: string): Map<string, number> {
  const lines = csv.split(/\r?\n/).filter((line) => line.trim() !== "");
  const header = lines.find((line) => line.startsWith("# "));
  if (!header) throw new Error(`unexpected answer to 'show stat': ${csv.trim().slice(0, 200) || "(empty)"}`);
  const columns = header.slice(2).split(",");
  const sv = columns.indexOf("svname");
  const scur = columns.indexOf("scur");
  const sessions = new Map<string, number>();
  for (const line of lines) {
    if (line.startsWith("#")) continue;
    const fields = line.split(",");
    const server = fields[sv];
    if (server && server !== "BACKEND" && server !== "FRONTEND") sessions.set(server, Number(fields[scur] ?? 0));
  }
  return sessions;
}
