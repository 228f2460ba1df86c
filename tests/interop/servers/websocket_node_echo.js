// A WebSocket echo server on the npm package `websocket` (WebSocket-Node), as its README's server
// example writes one: an http.Server (its plain side is plain_site.js's), a WebSocketServer with
// autoAcceptConnections off, every origin allowed, and an echo of text and binary messages. The
// README accepts 'echo-protocol' unconditionally, which throws (and kills the process) when the
// client did not offer it; here it is selected only when offered.
// Usage: node websocket_node_echo.js [PORT]   (0 or none: a free port)
'use strict';
const WebSocketServer = require('websocket').server;
const site = require('./plain_site');

const server = site.createServer();
const wsServer = new WebSocketServer({ httpServer: server, autoAcceptConnections: false });

wsServer.on('request', (request) => {
  const protocol = request.requestedProtocols.includes('echo-protocol') ? 'echo-protocol' : null;
  const connection = request.accept(protocol, request.origin);
  connection.on('message', (message) => {
    if (message.type === 'utf8') connection.sendUTF(message.utf8Data);
    else if (message.type === 'binary') connection.sendBytes(message.binaryData);
  });
  connection.on('error', () => {});
});

site.listen(server, () => wsServer.shutDown());
