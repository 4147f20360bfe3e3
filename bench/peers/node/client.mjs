// Node peers for bench/run.sh: Node's own http2 (or https for --h1) client, wreq-js and impit, driven the same
// way as `wraith bench`: N GETs, at most C in flight, connections reused. A request counts only with status 200
// and a body of exactly --expect-bytes bytes. The last line is one JSON object like wraith bench's:
//   {"ok":N,"errors":E,"bytes":B,"loop_s":T,"proto":"h2"}
// usage: node client.mjs --lib node|wreq|impit --url URL --n N --concurrency C --expect-bytes B [--h1]
import http2 from 'node:http2';
import https from 'node:https';

const args = process.argv.slice(2);
const opt = { lib: 'node', url: '', n: 1000, concurrency: 1, expect: -1, h1: false };
for (let i = 0; i < args.length; ++i) {
  const a = args[i];
  if (a === '--lib') opt.lib = args[++i];
  else if (a === '--url') opt.url = args[++i];
  else if (a === '--n') opt.n = Number(args[++i]);
  else if (a === '--concurrency') opt.concurrency = Number(args[++i]);
  else if (a === '--expect-bytes') opt.expect = Number(args[++i]);
  else if (a === '--h1') opt.h1 = true;
  else { console.error(`client.mjs: bad argument ${a}`); process.exit(2); }
}

// Each lib: setup() -> { get(): Promise<[status, length]>, close() }.
const libs = {
  async node() {
    const url = new URL(opt.url);
    if (opt.h1) {
      const agent = new https.Agent({ keepAlive: true, maxSockets: opt.concurrency, rejectUnauthorized: false });
      const get = () => new Promise((resolve) => {
        https.get(opt.url, { agent }, (res) => {
          let length = 0;
          res.on('data', (chunk) => { length += chunk.length; });
          res.on('end', () => resolve([res.statusCode, length]));
          res.on('error', () => resolve([0, length]));
        }).on('error', () => resolve([0, 0]));
      });
      return { get, close: () => agent.destroy(), proto: 'h1' };
    }
    // Windows as large as h2load's defaults, so downloads are not throttled by Node's 64 KiB default.
    const session = http2.connect(url.origin, { rejectUnauthorized: false, settings: { initialWindowSize: (1 << 30) - 1 } });
    session.on('error', () => {});
    await new Promise((resolve, reject) => { session.once('connect', resolve); session.once('error', reject); });
    session.setLocalWindowSize((1 << 30) - 1);
    const path = url.pathname + url.search;
    const get = () => new Promise((resolve) => {
      const req = session.request({ ':path': path });
      let status = 0, length = 0;
      req.on('response', (headers) => { status = headers[':status']; });
      req.on('data', (chunk) => { length += chunk.length; });
      req.on('end', () => resolve([status, length]));
      req.on('error', () => resolve([0, length]));
    });
    return { get, close: () => session.close(), proto: 'h2' };
  },
  async wreq() {
    const { createSession } = modules.wreq;
    const options = { browser: 'chrome_149', insecure: true };
    if (opt.h1) options.emulation = { tlsOptions: { alpnProtocols: ['HTTP1'] } };
    const session = await createSession(options);
    const get = async () => {
      const res = await session.fetch(opt.url);
      const body = await res.arrayBuffer();
      return [res.status, body.byteLength];
    };
    return { get, close: () => session.close(), proto: opt.h1 ? 'h1' : 'h2' };
  },
  async impit() {
    if (opt.h1) throw new Error('impit has no option to force HTTP/1.1');
    const { Impit } = modules.impit;
    const impit = new Impit({ browser: 'chrome', ignoreTlsErrors: true });
    const get = async () => {
      const res = await impit.fetch(opt.url);
      const body = await res.arrayBuffer();
      return [res.status, body.byteLength];
    };
    return { get, close: () => {}, proto: 'h2' };
  },
};

let ok = 0, errors = 0, bytes = 0, started = 0, firstError = '';
let client, t0;
const modules = {};
try {
  // Module loading is start-up, not load: it stays outside the timed loop. Connecting is inside it, as for
  // h2load and wraith bench.
  if (opt.lib === 'wreq') modules.wreq = await import('wreq-js');
  if (opt.lib === 'impit' && !opt.h1) modules.impit = await import('impit');
  t0 = process.hrtime.bigint();
  client = await libs[opt.lib]();
} catch (e) {
  console.log(`setup failed: ${e.message}`);
  console.log(JSON.stringify({ ok: 0, errors: opt.n, bytes: 0, loop_s: 0, proto: opt.h1 ? 'h1' : 'h2', setup_error: e.message }));
  process.exit(1);
}
async function worker() {
  while (started < opt.n) {
    ++started;
    try {
      const [status, length] = await client.get();
      if (status === 200 && (opt.expect < 0 || length === opt.expect)) { ++ok; bytes += length; }
      else { ++errors; if (!firstError) firstError = `status ${status}, ${length} bytes`; }
    } catch (e) {
      ++errors;
      if (!firstError) firstError = e.message;
    }
  }
}
await Promise.all(Array.from({ length: Math.min(opt.concurrency, opt.n) }, worker));
const loop_s = Number(process.hrtime.bigint() - t0) / 1e9;
await client.close();
if (firstError) console.log(`first error: ${firstError}`);
console.log(`requests: ${ok} ok, ${errors} errors, ${(ok / loop_s).toFixed(0)} req/s`);
console.log(JSON.stringify({ ok, errors, bytes, loop_s, proto: client.proto }));
process.exit(errors ? 1 : 0);
