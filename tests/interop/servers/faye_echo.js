// A WebSocket echo server on the npm package `faye-websocket`, as its README writes one: an
// http.Server whose 'upgrade' event hands WebSocket requests to `new WebSocket(request, socket,
// body)`, echoing every message. The README's server has no 'request' handler; here the plain
// side is plain_site.js's. As in the README, an upgrade request that is not a WebSocket handshake
// is left unanswered.
// Usage: node faye_echo.js [PORT]   (0 or none: a free port)
'use strict';
const WebSocket = require('faye-websocket');
const site = require('./plain_site');

const server = site.createServer();

server.on('upgrade', (request, socket, body) => {
  if (WebSocket.isWebSocket(request)) {
    const ws = new WebSocket(request, socket, body);
    ws.on('message', (event) => ws.send(event.data));
    ws.on('close', () => {});
  }
});

site.listen(server);
