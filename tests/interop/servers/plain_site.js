// What the node echo servers share: the plain side of the site (`/` gets a small page, so the
// cases that need a plain resource run; other plain requests a 404), listening on loopback with
// the line the tests wait for, and stopping on SIGTERM or SIGINT.
'use strict';
const http = require('http');

const PAGE = '<!doctype html><title>upgradespec interop</title><p>a static page</p>\n';

function createServer() {
  return http.createServer((request, response) => {
    // The path of the target, also in absolute-form (RFC 9112 3.2.2: a server MUST accept it).
    if (new URL(request.url, 'http://localhost').pathname === '/') {
      response.writeHead(200, { 'Content-Type': 'text/html' });
      response.end(PAGE);
      return;
    }
    response.writeHead(404);
    response.end();
  });
}

// Listens on the port of argv[2] (0 or none: a free port) and prints "listening on
// 127.0.0.1:PORT" once it accepts connections; `beforeStop` runs on SIGTERM or SIGINT.
function listen(server, beforeStop = () => {}) {
  server.listen(Number(process.argv[2] || 0), '127.0.0.1', () =>
    console.log(`listening on 127.0.0.1:${server.address().port}`));
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => {
      beforeStop();
      server.close(() => process.exit(0));
      setTimeout(() => process.exit(0), 1000).unref();
    });
  }
}

module.exports = { createServer, listen };
