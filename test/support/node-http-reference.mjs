// Test support, run with node (not bun): node's own HTTP client (llhttp) as the reference parser for the
// h1 client's fuzz test. Usage: node node-http-reference.mjs <port> <count>. GETs /0 … /<count-1> from
// 127.0.0.1:<port> (8 at a time, no keep-alive) and prints one JSON array: for each, the status, the raw
// header pairs, the body (base64) and where it failed: "head" (no response), "body" (after it), or null.
import http from "node:http";

const [port, count] = process.argv.slice(2).map(Number);

function one(i) {
  return new Promise((resolve) => {
    const out = { status: 0, headers: [], body: "", failed: null, code: "" };
    const chunks = [];
    let done = false;
    const finish = (failed, code) => {
      if (done) return;
      done = true;
      out.failed = failed;
      out.code = code ?? "";
      out.body = Buffer.concat(chunks).toString("base64");
      resolve(out);
    };
    const req = http.get({ host: "127.0.0.1", port, path: `/${i}`, agent: false }, (res) => {
      out.status = res.statusCode;
      for (let k = 0; k < res.rawHeaders.length; k += 2) out.headers.push([res.rawHeaders[k], res.rawHeaders[k + 1]]);
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => finish(res.complete ? null : "body", "incomplete"));
      res.on("aborted", () => finish("body", "aborted"));
      res.on("error", (e) => finish("body", e.code));
      res.on("close", () => finish(res.complete ? null : "body", "closed"));
    });
    req.on("error", (e) => finish(out.status ? "body" : "head", e.code));
    req.setTimeout(5000, () => {
      req.destroy();
      finish(out.status ? "body" : "head", "timeout");
    });
  });
}

const results = new Array(count);
let next = 0;
async function worker() {
  while (next < count) {
    const i = next++;
    results[i] = await one(i);
  }
}
await Promise.all(Array.from({ length: 8 }, worker));
process.stdout.write(JSON.stringify(results));
