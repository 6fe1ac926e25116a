import { COLORS, type Color } from "../color.js";
import type { TrafficWeights } from "../traffic-weights.js";
import { isServing, type ServerState } from "./server-state.js";

/** Each color's share of new requests, from the servers' admin state and weights; undefined when none serves. */
export function sharesOf(servers: ReadonlyMap<string, ServerState>, colors: Record<Color, readonly string[]>): TrafficWeights | undefined {
  const total = { blue: 0, green: 0 };
  for (const color of COLORS) {
    for (const name of colors[color]) {
      const server = servers.get(name);
      if (server && isServing(server)) total[color] += server.weight;
    }
  }
  const sum = total.blue + total.green;
  if (sum === 0) return undefined;
  const blue = Math.round((100 * total.blue) / sum);
  return { blue, green: 100 - blue };
}
