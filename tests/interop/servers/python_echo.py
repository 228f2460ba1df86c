"""A WebSocket echo server on Debian's python3-websockets, as its documentation writes one.

Usage: python3 python_echo.py [PORT]   (0 or none: a free port)
Prints "listening on 127.0.0.1:PORT" once it accepts connections; stops on SIGTERM or SIGINT.
"""
import asyncio
import signal
import sys

import websockets


async def echo(websocket, path=None):
    async for message in websocket:
        await websocket.send(message)


async def main(port):
    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set_result, None)
    async with websockets.serve(echo, "127.0.0.1", port) as server:
        address = server.sockets[0].getsockname()
        print("listening on %s:%d" % address[:2], flush=True)
        await stop


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 0))
