"""A WebSocket echo server on Debian's python3-autobahn (Twisted), as autobahn's echo example
writes one: a WebSocketServerProtocol whose onMessage sends the payload back, a
WebSocketServerFactory with its default options, reactor.listenTCP.

Usage: python3 autobahn_echo.py [PORT]   (0 or none: a free port)
Prints "listening on 127.0.0.1:PORT" once it accepts connections; stops on SIGTERM or SIGINT
(Twisted's reactor handles both).
"""
import sys

from autobahn.twisted.websocket import WebSocketServerFactory, WebSocketServerProtocol
from twisted.internet import reactor


class EchoProtocol(WebSocketServerProtocol):
    def onMessage(self, payload, isBinary):
        self.sendMessage(payload, isBinary)


def main(port):
    factory = WebSocketServerFactory()
    factory.protocol = EchoProtocol
    listening = reactor.listenTCP(port, factory, interface="127.0.0.1")
    # The factory's URL names the port, known only once bound (port 0).
    factory.setSessionParameters("ws://127.0.0.1:%d" % listening.getHost().port)
    print("listening on 127.0.0.1:%d" % listening.getHost().port, flush=True)
    reactor.run()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
