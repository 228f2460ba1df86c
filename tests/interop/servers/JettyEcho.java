// A WebSocket echo server on Debian's Jetty 9.4 (libjetty9-java), embedded as Jetty's own
// documentation writes one: a ServerConnector with HTTP/1.1 and h2c (HTTP2CServerConnectionFactory,
// which also takes the RFC 7540 Upgrade: h2c), a ServletContextHandler with a WebSocketServlet on
// /ws (Jetty's native WebSocket API, an @WebSocket echo socket, the factory's defaults:
// permessage-deflate on) and the DefaultServlet serving a folder on /.
// Usage: java -cp JARS:. JettyEcho PORT DOCROOT   (PORT 0: a free port)
// Prints "listening on 127.0.0.1:PORT" once it accepts connections; stops on SIGTERM (the JVM's
// shutdown hook stops the server).
import java.io.IOException;
import java.nio.ByteBuffer;

import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.DefaultServlet;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;
import org.eclipse.jetty.websocket.servlet.WebSocketServlet;
import org.eclipse.jetty.websocket.servlet.WebSocketServletFactory;

public class JettyEcho {
    @WebSocket
    public static class EchoSocket {
        @OnWebSocketMessage
        public void onText(Session session, String message) throws IOException {
            session.getRemote().sendString(message);
        }

        @OnWebSocketMessage
        public void onBinary(Session session, byte[] payload, int offset, int length) throws IOException {
            session.getRemote().sendBytes(ByteBuffer.wrap(payload, offset, length));
        }
    }

    public static class EchoServlet extends WebSocketServlet {
        @Override
        public void configure(WebSocketServletFactory factory) {
            factory.register(EchoSocket.class);
        }
    }

    public static void main(String[] args) throws Exception {
        Server server = new Server();
        HttpConfiguration config = new HttpConfiguration();
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config),
                                                        new HTTP2CServerConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.parseInt(args[0]));
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.setResourceBase(args[1]);
        context.addServlet(EchoServlet.class, "/ws");
        context.addServlet(DefaultServlet.class, "/");
        server.setHandler(context);
        server.setStopAtShutdown(true);

        server.start();
        System.out.println("listening on 127.0.0.1:" + connector.getLocalPort());
        System.out.flush();
        server.join();
    }
}
