// A WebSocket echo server on the npm package `ws`, as its README writes one.
// Usage: node ws_echo.js [PORT]   (0 or none: a free port)
// Prints "listening on 127.0.0.1:PORT" once it accepts connections; stops on SIGTERM or SIGINT.
'use strict';
const { WebSocketServer } = require('ws');

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.argv[2] || 0) });

wss.on('connection', (ws) => {
  ws.on('error', () => {});
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
});
wss.on('listening', () => console.log(`listening on 127.0.0.1:${wss.address().port}`));

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    for (const client of wss.clients) client.terminate();
    wss.close(() => process.exit(0));
  });
}
