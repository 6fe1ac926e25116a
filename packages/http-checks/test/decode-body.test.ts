import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../../test/harness/test-server.js";
import { BodyDecodeError, decodeBody } from "../src/decode-body.js";
import { HttpClient, HttpTransportError } from "../src/http-client.js";

const json = Buffer.from('{"status":"ok"}');

describe("decodeBody", () => {
  it("decodes gzip, br, zlib deflate and raw deflate; identity and no header leave the bytes", () => {
    expect(decodeBody(gzipSync(json), "gzip", 1024).toString()).toBe('{"status":"ok"}');
    expect(decodeBody(brotliCompressSync(json), "br", 1024).toString()).toBe('{"status":"ok"}');
    expect(decodeBody(deflateSync(json), "deflate", 1024).toString()).toBe('{"status":"ok"}');
    expect(decodeBody(deflateRawSync(json), "Deflate", 1024).toString()).toBe('{"status":"ok"}');
    expect(decodeBody(json, "identity", 1024)).toBe(json);
    expect(decodeBody(json, undefined, 1024)).toBe(json);
  });

  it("undoes stacked codings from the last applied", () => {
    expect(decodeBody(brotliCompressSync(gzipSync(json)), "gzip, br", 1024).toString()).toBe('{"status":"ok"}');
  });

  it("refuses an unknown coding, a corrupt body and a decoded body over the limit", () => {
    expect(() => decodeBody(json, "zstd", 1024)).toThrow(/unsupported content-encoding "zstd"/);
    expect(() => decodeBody(json, "gzip", 1024)).toThrow(BodyDecodeError);
    expect(() => decodeBody(gzipSync(Buffer.alloc(10_000)), "gzip", 1024)).toThrow(/larger than 1024 bytes once decoded/);
  });
});

describe("HttpClient with compressed responses", () => {
  let server: TestServer;
  const seen: string[] = [];
  const client = new HttpClient();
  beforeAll(async () => {
    server = await startTestServer(async (req, res) => {
      seen.push(String(req.headers["accept-encoding"]));
      if (req.url === "/broken") {
        res.writeHead(200, { "content-encoding": "gzip" }).end("not gzip");
        return;
      }
      const accepted = String(req.headers["accept-encoding"] ?? "");
      if (accepted.includes("br")) res.writeHead(200, { "content-encoding": "br" }).end(brotliCompressSync(json));
      else res.end(json);
    });
  });
  afterAll(async () => {
    client.close();
    await server.close();
  });

  it("offers gzip, deflate and br as clients do and reads the decoded body", async () => {
    const response = await client.request({ url: `${server.url}/`, method: "GET", timeoutMs: 2_000, followRedirects: true });
    expect(seen.at(-1)).toBe("gzip, deflate, br");
    expect(response.headers["content-encoding"]).toBe("br");
    expect(response.body).toBe('{"status":"ok"}');
  });

  it("keeps an Accept-Encoding the check sets itself", async () => {
    const response = await client.request({
      url: `${server.url}/`,
      method: "GET",
      headers: { "Accept-Encoding": "identity" },
      timeoutMs: 2_000,
      followRedirects: true,
    });
    expect(seen.at(-1)).toBe("identity");
    expect(response.body).toBe('{"status":"ok"}');
  });

  it("reports a body that does not decode as a failed request naming the coding", async () => {
    const request = client.request({ url: `${server.url}/broken`, method: "GET", timeoutMs: 2_000, followRedirects: true });
    await expect(request).rejects.toThrow(HttpTransportError);
    await expect(client.request({ url: `${server.url}/broken`, method: "GET", timeoutMs: 2_000, followRedirects: true })).rejects.toThrow(
      /could not decode the gzip body/,
    );
  });
});
