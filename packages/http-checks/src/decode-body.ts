/** What clients offer by default; the server may answer with any of them. */
export const ACCEPTED_ENCODINGS = "gzip, deflate, br";

/** Why a compressed body could not be read; assertions on the body report it. */
export class BodyDecodeError extends Error {
  override name = "BodyDecodeError";
}

/**
 * The body as a client reads it: decoded per `Content-Encoding` (gzip, deflate, br, in the order
 * applied), at most `maxBytes` once decoded. `identity` and no header leave it as sent.
 */
export function decodeBody(raw: Buffer, contentEncoding: string | undefined, maxBytes: number): Buffer {
  const codings = (contentEncoding ?? "")
    .split(",")
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== "" && coding !== "identity");
  let body = raw;
  // Codings are listed in the order they were applied: undo them from the last.
  for (const coding of codings.reverse()) body = decodeOne(body, coding, maxBytes);
  return body;
}

function decodeOne(body: Buffer, coding: string, maxBytes: number): Buffer {
  const options = { maxOutputLength: maxBytes };
  // node:zlib is loaded by the first compressed body, not at start-up (issue 19).
  const { brotliDecompressSync, constants, gunzipSync, inflateRawSync, inflateSync } = process.getBuiltinModule("node:zlib");
  try {
    if (coding === "gzip" || coding === "x-gzip") return gunzipSync(body, { ...options, finishFlush: constants.Z_SYNC_FLUSH });
    if (coding === "br") return brotliDecompressSync(body, options);
    if (coding === "deflate") {
      // RFC 9110 says zlib-wrapped; some servers send raw deflate, which browsers accept too.
      try {
        return inflateSync(body, options);
      } catch {
        return inflateRawSync(body, options);
      }
    }
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE"
        ? `larger than ${maxBytes} bytes once decoded`
        : (error as Error).message;
    throw new BodyDecodeError(`could not decode the ${coding} body: ${reason}`);
  }
  throw new BodyDecodeError(`unsupported content-encoding "${coding}" (cutover decodes gzip, deflate and br)`);
}
