// Node's http2 server as an interop peer: /small (100 bytes), /bytes?n=N (deterministic), /upload (sha256 of the body).
'use strict';
const http2 = require('http2');
const crypto = require('crypto');
const fs = require('fs');
const [port, key, cert] = process.argv.slice(2);
const pattern = Buffer.alloc(65536);
for (let i = 0; i < pattern.length; i++) pattern[i] = 97 + (i % 26);
const server = http2.createSecureServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert),
  settings: { maxConcurrentStreams: 1000, enableConnectProtocol: true } });
server.on('stream', (stream, headers) => {
  if (headers[':method'] === 'CONNECT' && headers[':protocol']) {
    // RFC 8441 tunnel: echo every byte back.
    stream.respond({ ':status': 200 });
    stream.pipe(stream);
    return;
  }
  const url = new URL(headers[':path'], 'https://x');
  if (url.pathname === '/upload') {
    const hash = crypto.createHash('sha256');
    let n = 0;
    stream.on('data', (d) => { hash.update(d); n += d.length; });
    stream.on('end', () => { stream.respond({ ':status': 200 }); stream.end(`${n} ${hash.digest('hex')}`); });
    return;
  }
  if (url.pathname === '/bytes') {
    let left = Number(url.searchParams.get('n'));
    stream.respond({ ':status': 200, 'content-length': String(left) });
    const pump = () => {
      while (left > 0) {
        const chunk = left >= pattern.length ? pattern : pattern.subarray(0, left);
        left -= chunk.length;
        if (!stream.write(chunk)) { stream.once('drain', pump); return; }
      }
      stream.end();
    };
    pump();
    return;
  }
  stream.respond({ ':status': 200, 'content-type': 'text/plain' });
  stream.end('x'.repeat(100));
});
server.listen(Number(port), '127.0.0.1');
