/** Reads a `Link` header (RFC 8288) into rel → URL, as GitHub sends it for pagination. */
export function parseLinkHeader(header: string | undefined | null): Record<string, string> {
  const links: Record<string, string> = {};
  if (!header) return links;
  for (const part of header.split(/,\s*(?=<)/)) {
    const match = /^<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (!match) continue;
    const [, url, params] = match as unknown as [string, string, string];
    const rel = /rel="?([^";]+)"?/.exec(params)?.[1];
    if (rel) for (const name of rel.split(/\s+/)) links[name] = url;
  }
  return links;
}

/** The `page` query parameter of a pagination link. */
export function pageOf(url: string | undefined): number | undefined {
  if (!url) return undefined;
  const page = Number(new URL(url, "http://localhost").searchParams.get("page"));
  return Number.isInteger(page) && page > 0 ? page : undefined;
}
