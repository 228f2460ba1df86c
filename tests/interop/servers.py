"""The real servers of the interop tests: each one configured in a temp folder on a free loopback
port, started, and stopped by its PID (also when anything fails: every server is a context
manager).

Nothing here touches the system's configuration: nginx runs with -p/-c on its own prefix,
apache2 with -f on its own config, haproxy with -f, varnishd with -n/-f, caddy with --config and
its HOME and XDG folders in the temp folder, Tomcat with its own CATALINA_BASE; all in the
foreground, so the PID we hold is the master's.
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER_SCRIPTS = os.path.join(HERE, "servers")
# Debian's python3: python3-websockets lives there, not in any other interpreter on the PATH.
DEBIAN_PYTHON = "/usr/bin/python3"
NGINX = "/usr/sbin/nginx"
APACHE = "/usr/sbin/apache2"
APACHE_MODULES = "/usr/lib/apache2/modules"
NODE_MODULES = os.path.join(HERE, "node_modules")

START_SECONDS = 15  # a server that is not answering by then did not start
STOP_SECONDS = 5

STATIC_PAGE = "<!doctype html><title>upgradespec interop</title><p>a static page</p>\n"


class Unavailable(Exception):
    """A server cannot run: a package is missing, or it did not start. The test fails with it."""


def free_port():
    """A loopback port that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def command_output(args):
    """stdout+stderr of a short command, or '' when it cannot run."""
    try:
        done = subprocess.run(args, capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return (done.stdout + done.stderr).decode(errors="replace")


def debian_version(package):
    """The installed version of a Debian package, or None."""
    out = command_output(["dpkg-query", "-W", "-f=${Status}\t${Version}", package])
    status, _, version = out.partition("\t")
    return version.strip() if status.endswith("installed") and "not-installed" not in status else None


def require_debian(package, path):
    if not os.path.exists(path) or debian_version(package) is None:
        raise Unavailable("%s is not installed (needs the Debian package %s: run tests/interop/install.sh)"
                          % (path, package))


class Process:
    """One started process, stopped by its PID (and its own process group, which only it and its
    children belong to: nginx and apache2 workers go with their master)."""

    def __init__(self, args, log_path, cwd=None, env=None):
        self.args = args
        self.log_path = log_path
        self.log = open(log_path, "wb")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, cwd=cwd, env=env,
                                     stdin=subprocess.DEVNULL, start_new_session=True)

    def alive(self):
        return self.proc.poll() is None

    def output(self):
        self.log.flush()
        with open(self.log_path, errors="replace") as f:
            return f.read()[-3000:]

    def stop(self):
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=STOP_SECONDS)
        else:
            self.proc.wait()
        # Workers left behind by a master that died: the group is ours alone.
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.log.close()

    def wait_for_line(self, pattern):
        """The first match of pattern in the process's output, waiting up to START_SECONDS."""
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            match = re.search(pattern, self.output())
            if match:
                return match
            if not self.alive():
                break
            time.sleep(0.05)
        raise Unavailable("%s did not start (exit %s):\n%s" % (self.args[0], self.proc.poll(), self.output()))

    def wait_for_port(self, port):
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if not self.alive():
                break
            if answers(port):
                return
            time.sleep(0.05)
        raise Unavailable("%s did not start listening on 127.0.0.1:%d (exit %s):\n%s"
                          % (self.args[0], port, self.proc.poll(), self.output()))


class Server:
    """Base: a context manager that sets up a temp folder, starts, and always stops."""

    name = ""
    ws_path = "/ws"
    # Cases at once (upgradespec --jobs), None for its default: more for a server that leaves many
    # requests unanswered until the runner's deadline, so that its test stays short.
    jobs = None
    # The intermediary run (issue #13): the proxy forwards to the runner's own backend
    # (upgradespec --backend), not to the python3-websockets echo server. `backend` is that port.
    intermediary = False
    # The target profile, tests/interop/profiles/<profile>.json: the server's own name by default.
    profile = None

    def __init__(self):
        self.dir = None
        self.processes = []
        self.port = None
        self.backend = None

    def __enter__(self):
        # A free port can be taken between our check and the server's bind (tests run in
        # parallel): such a start is tried again, a bounded number of times.
        for attempt in range(3):
            self.dir = tempfile.mkdtemp(prefix="upgradespec-%s-" % self.name)
            os.chmod(self.dir, 0o755)  # workers that drop root to nobody read the static files
            try:
                self.start()
                return self
            except Unavailable as e:
                self.stop()
                if "Address already in use" not in str(e) or attempt == 2:
                    raise
            except BaseException:
                self.stop()
                raise
        raise AssertionError("unreachable")

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        for process in reversed(self.processes):
            process.stop()
        self.processes = []
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def spawn(self, args, log_name, cwd=None, env=None):
        process = Process(args, os.path.join(self.dir, log_name), cwd, env)
        self.processes.append(process)
        return process

    def url(self):
        return "ws://127.0.0.1:%d%s" % (self.port, self.ws_path)

    def write(self, relative, text):
        path = os.path.join(self.dir, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, 0o644)
        return path

    def start_upstream(self):
        """The loopback port a proxy forwards to: the python3-websockets echo server's, or in the
        intermediary run a free port, where the runner listens with --backend."""
        if self.intermediary:
            self.backend = free_port()
            return self.backend
        return self.start_python_backend()

    def start_python_backend(self):
        """The python3-websockets echo server, on its own free port; returns the port."""
        require_debian("python3-websockets", DEBIAN_PYTHON)
        backend = self.spawn([DEBIAN_PYTHON, os.path.join(SERVER_SCRIPTS, "python_echo.py"), "0"],
                             "python.log")
        return int(backend.wait_for_line(r"listening on 127\.0\.0\.1:(\d+)").group(1))


class PythonWebsockets(Server):
    name = "python-websockets"

    def start(self):
        self.port = self.start_python_backend()

    def versions(self):
        return {"python3-websockets": debian_version("python3-websockets"),
                "python3": debian_version("python3")}


class NodeWs(Server):
    name = "node-ws"

    def start(self):
        node = shutil.which("node")
        if not node:
            raise Unavailable("node is not installed (Debian package nodejs: run tests/interop/install.sh)")
        if not os.path.exists(os.path.join(NODE_MODULES, "ws", "package.json")):
            raise Unavailable("the npm package ws is not installed in %s (run tests/interop/install.sh)"
                              % NODE_MODULES)
        process = self.spawn([node, os.path.join(SERVER_SCRIPTS, "ws_echo.js"), "0"], "node.log")
        self.port = int(process.wait_for_line(r"listening on 127\.0\.0\.1:(\d+)").group(1))

    def versions(self):
        import json

        with open(os.path.join(NODE_MODULES, "ws", "package.json")) as f:
            ws_version = json.load(f)["version"]
        node = command_output([shutil.which("node") or "node", "--version"]).strip().lstrip("v")
        return {"ws": ws_version, "node": node}


NGINX_CONF = """\
# upgradespec interop: nginx in the foreground on its own prefix (-p), nothing from /etc/nginx.
daemon off;
master_process on;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {dir}/access.log;
    client_body_temp_path {dir}/tmp/body;
    proxy_temp_path {dir}/tmp/proxy;
    fastcgi_temp_path {dir}/tmp/fastcgi;
    uwsgi_temp_path {dir}/tmp/uwsgi;
    scgi_temp_path {dir}/tmp/scgi;
    types {{ text/html html; }}
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        root {dir}/html;
        location / {{
            try_files $uri $uri/ =404;
        }}
        # The usual WebSocket reverse-proxy idiom.
        location /ws {{
            proxy_pass http://127.0.0.1:{backend};
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_set_header Host $host;
        }}
    }}
}}
"""


class Nginx(Server):
    name = "nginx"

    def start(self):
        require_debian("nginx", NGINX)
        backend = self.start_upstream()
        self.write("html/index.html", STATIC_PAGE)
        os.makedirs(os.path.join(self.dir, "tmp"), mode=0o755)
        self.port = free_port()
        conf = self.write("nginx.conf", NGINX_CONF.format(dir=self.dir, port=self.port, backend=backend))
        process = self.spawn([NGINX, "-p", self.dir, "-c", conf, "-e", os.path.join(self.dir, "error.log")],
                             "nginx.log")
        process.wait_for_port(self.port)

    def versions(self):
        return {"nginx": debian_version("nginx"), "python3-websockets": debian_version("python3-websockets")}


APACHE_CONF = """\
# upgradespec interop: apache2 in the foreground (-DFOREGROUND) on this file alone (-f),
# nothing from /etc/apache2.
ServerRoot {dir}
DefaultRuntimeDir {dir}/run
PidFile {dir}/run/apache2.pid
Mutex file:{dir}/run default
Listen 127.0.0.1:{port}
ServerName 127.0.0.1
ErrorLog {dir}/error.log
LogLevel warn
{user}
LoadModule mpm_event_module {modules}/mod_mpm_event.so
LoadModule authz_core_module {modules}/mod_authz_core.so
LoadModule dir_module {modules}/mod_dir.so
LoadModule mime_module {modules}/mod_mime.so
LoadModule http2_module {modules}/mod_http2.so
LoadModule proxy_module {modules}/mod_proxy.so
LoadModule proxy_http_module {modules}/mod_proxy_http.so
LoadModule proxy_wstunnel_module {modules}/mod_proxy_wstunnel.so
TypesConfig /etc/mime.types

Protocols h2c http/1.1
DocumentRoot {dir}/htdocs
DirectoryIndex index.html
<Directory />
    Require all denied
</Directory>
<Directory {dir}/htdocs>
    Require all granted
</Directory>
<Location /ws>
    Require all granted
</Location>
{proxy_pass}
"""


class Apache(Server):
    name = "apache2"
    # The classic WebSocket reverse proxy: mod_proxy_wstunnel's ws:// scheme.
    proxy_pass = "ProxyPass /ws ws://127.0.0.1:{backend}/ws"

    def start(self):
        require_debian("apache2-bin", APACHE)
        backend = self.start_upstream()
        self.write("htdocs/index.html", STATIC_PAGE)
        os.makedirs(os.path.join(self.dir, "run"), mode=0o755)
        self.port = free_port()
        # As root, apache2 refuses to serve as root: its children run as nobody.
        user = "User nobody\nGroup nogroup" if os.geteuid() == 0 else ""
        conf = self.write("apache2.conf", APACHE_CONF.format(dir=self.dir, port=self.port, modules=APACHE_MODULES,
                                                             user=user,
                                                             proxy_pass=self.proxy_pass.format(backend=backend)))
        process = self.spawn([APACHE, "-f", conf, "-DFOREGROUND"], "apache2.log")
        process.wait_for_port(self.port)

    def versions(self):
        return {"apache2": debian_version("apache2-bin"), "python3-websockets": debian_version("python3-websockets")}


def npm_version(package):
    """The version of an npm package installed in tests/interop/node_modules, or None."""
    import json

    try:
        with open(os.path.join(NODE_MODULES, package, "package.json")) as f:
            return json.load(f)["version"]
    except (OSError, ValueError, KeyError):
        return None


def node_version():
    return command_output([shutil.which("node") or "node", "--version"]).strip().lstrip("v")


class NodeScript(Server):
    """An echo server script of servers/ on node and an npm package of package-lock.json."""

    package = ""
    script = ""

    def start(self):
        node = shutil.which("node")
        if not node:
            raise Unavailable("node is not installed (Debian package nodejs: run tests/interop/install.sh)")
        if npm_version(self.package) is None:
            raise Unavailable("the npm package %s is not installed in %s (run tests/interop/install.sh)"
                              % (self.package, NODE_MODULES))
        process = self.spawn([node, os.path.join(SERVER_SCRIPTS, self.script), "0"], "node.log")
        self.port = int(process.wait_for_line(r"listening on 127\.0\.0\.1:(\d+)").group(1))

    def versions(self):
        return {self.package: npm_version(self.package), "node": node_version()}


class WebSocketNode(NodeScript):
    """WebSocket-Node (npm `websocket`): its own HTTP handshake and framing code, on node's http."""

    name = "websocket-node"
    package = "websocket"
    script = "websocket_node_echo.js"


class Faye(NodeScript):
    """faye-websocket (npm), whose protocol code is websocket-driver's."""

    name = "faye-websocket"
    package = "faye-websocket"
    script = "faye_echo.js"
    jobs = 12  # about 30 requests with an Upgrade other than websocket are never answered

    def versions(self):
        return {"faye-websocket": npm_version("faye-websocket"),
                "websocket-driver": npm_version("websocket-driver"), "node": node_version()}


class Autobahn(Server):
    """python3-autobahn on Twisted: its own HTTP handshake parser and framing."""

    name = "autobahn"

    def start(self):
        require_debian("python3-autobahn", DEBIAN_PYTHON)
        process = self.spawn([DEBIAN_PYTHON, os.path.join(SERVER_SCRIPTS, "autobahn_echo.py"), "0"],
                             "autobahn.log")
        self.port = int(process.wait_for_line(r"listening on 127\.0\.0\.1:(\d+)").group(1))

    def versions(self):
        return {"python3-autobahn": debian_version("python3-autobahn"),
                "python3-twisted": debian_version("python3-twisted")}


HAPROXY = "/usr/sbin/haproxy"
HAPROXY_CONF = """\
# upgradespec interop: haproxy in the foreground (-db) on this file alone (-f).
global
    log stderr format raw local0 warning
    maxconn 256

defaults
    mode http
    log global
    timeout connect 5s
    timeout client 30s
    timeout server 30s
    # WebSocket (and any other switched protocol): HAProxy's documented setting for tunnels.
    timeout tunnel 60s

frontend web
    bind 127.0.0.1:{port}
    acl websocket_path path_beg /ws
    use_backend websocket if websocket_path
    # The plain resource: a page HAProxy itself answers (no file server in HAProxy).
    http-request return status 200 content-type text/html string "{page}" if {{ path / }}
    http-request return status 404 content-type text/plain string "not found" unless websocket_path

backend websocket
    server python 127.0.0.1:{backend}
"""


class Haproxy(Server):
    name = "haproxy"

    def start(self):
        require_debian("haproxy", HAPROXY)
        backend = self.start_upstream()
        self.port = free_port()
        page = STATIC_PAGE.strip().replace('"', "'")
        conf = self.write("haproxy.cfg", HAPROXY_CONF.format(port=self.port, backend=backend, page=page))
        process = self.spawn([HAPROXY, "-db", "-f", conf], "haproxy.log")
        process.wait_for_port(self.port)

    def versions(self):
        return {"haproxy": debian_version("haproxy"), "python3-websockets": debian_version("python3-websockets")}


VARNISHD = "/usr/sbin/varnishd"
VARNISH_VCL = """\
vcl 4.1;
# upgradespec interop: varnishd in the foreground (-F) with this VCL, its own working folder (-n).

backend python {{
    .host = "127.0.0.1";
    .port = "{backend}";
}}

sub vcl_recv {{
    if (req.url ~ "^/ws") {{
        # Varnish's documented WebSocket support: pipe the upgrade to the backend.
        if (req.http.upgrade ~ "(?i)websocket") {{
            return (pipe);
        }}
        return (pass);
    }}
    # The plain resource: a page varnish itself answers (synthetic); nothing else is served.
    if (req.url == "/") {{
        return (synth(200, "OK"));
    }}
    return (synth(404, "Not Found"));
}}

sub vcl_pipe {{
    if (req.http.upgrade) {{
        set bereq.http.upgrade = req.http.upgrade;
        set bereq.http.connection = req.http.connection;
    }}
}}

sub vcl_synth {{
    if (resp.status == 200) {{
        set resp.http.Content-Type = "text/html";
        synthetic({{"{page}"}});
        return (deliver);
    }}
}}
"""


class Varnish(Server):
    name = "varnish"

    def start(self):
        require_debian("varnish", VARNISHD)
        backend = self.start_upstream()
        self.port = free_port()
        vcl = self.write("default.vcl", VARNISH_VCL.format(backend=backend, page=STATIC_PAGE.strip()))
        workdir = os.path.join(self.dir, "varnish")
        # -T none: no management port; -s malloc: a small cache; varnishd drops root to its own
        # users (Debian's varnish and vcache), which must read the VCL and the working folder.
        process = self.spawn([VARNISHD, "-F", "-n", workdir, "-a", "127.0.0.1:%d" % self.port, "-f", vcl,
                              "-T", "none", "-s", "malloc,16m", "-p", "thread_pools=1",
                              "-p", "thread_pool_min=5", "-p", "thread_pool_max=50"], "varnish.log")
        process.wait_for_port(self.port)

    def versions(self):
        return {"varnish": debian_version("varnish"), "python3-websockets": debian_version("python3-websockets")}


CADDY = "/usr/bin/caddy"
CADDYFILE = """\
# upgradespec interop: caddy run with this Caddyfile, HOME and XDG folders in the temp folder.
{{
    admin off
    auto_https off
    servers {{
        protocols h1 h2 h2c
    }}
}}

http://127.0.0.1:{port} {{
    bind 127.0.0.1
    root * {dir}/html
    # The usual WebSocket reverse proxy: reverse_proxy handles the upgrade by itself.
    reverse_proxy /ws* 127.0.0.1:{backend}
    file_server
}}
"""


class Caddy(Server):
    name = "caddy"

    def start(self):
        require_debian("caddy", CADDY)
        backend = self.start_upstream()
        self.write("html/index.html", STATIC_PAGE)
        self.port = free_port()
        conf = self.write("Caddyfile", CADDYFILE.format(port=self.port, backend=backend, dir=self.dir))
        env = {"HOME": self.dir, "XDG_CONFIG_HOME": os.path.join(self.dir, "config"),
               "XDG_DATA_HOME": os.path.join(self.dir, "data"), "PATH": "/usr/bin:/bin"}
        process = self.spawn([CADDY, "run", "--config", conf, "--adapter", "caddyfile"], "caddy.log", env=env)
        process.wait_for_port(self.port)

    def versions(self):
        return {"caddy": debian_version("caddy"), "python3-websockets": debian_version("python3-websockets")}


# The intermediary runs (issue #13): each proxy with the same configuration, forwarding to the
# runner's backend instead of the python server; only the intermediary family runs against them.


class Intermediary:
    """Mixed into a proxy's class, before it: the run judges the proxy alone."""

    intermediary = True

    def versions(self):
        return {package: version for package, version in super().versions().items()
                if package != "python3-websockets"}


class NginxIntermediary(Intermediary, Nginx):
    name = "nginx-intermediary"
    profile = "nginx"


class ApacheIntermediary(Intermediary, Apache):
    name = "apache2-intermediary"
    profile = "apache2"
    # What the 2.4 documentation gives since 2.4.47, where mod_proxy_wstunnel is deprecated:
    # mod_proxy_http's protocol upgrade.
    proxy_pass = "ProxyPass /ws http://127.0.0.1:{backend}/ws upgrade=websocket"


class HaproxyIntermediary(Intermediary, Haproxy):
    name = "haproxy-intermediary"
    profile = "haproxy"


class VarnishIntermediary(Intermediary, Varnish):
    name = "varnish-intermediary"
    profile = "varnish"


class CaddyIntermediary(Intermediary, Caddy):
    name = "caddy-intermediary"
    profile = "caddy"


JAVA = "/usr/bin/java"
JAVAC = "/usr/bin/javac"
# Small heaps and a quick start: the interop servers see a few hundred short connections.
JAVA_OPTIONS = ["-Xms16m", "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
                "-XX:MaxMetaspaceSize=96m"]

TOMCAT_HOME = "/usr/share/tomcat10"
TOMCAT_EXAMPLES = "/usr/share/tomcat10-examples/examples"
TOMCAT_SERVER_XML = """\
<?xml version="1.0" encoding="UTF-8"?>
<!-- upgradespec interop: Tomcat on its own CATALINA_BASE, nothing from /etc/tomcat10 (which only
     the tomcat10 service package makes). No shutdown port: it stops on SIGTERM. -->
<Server port="-1" shutdown="SHUTDOWN">
  <Service name="Catalina">
    <Connector address="127.0.0.1" port="{port}" protocol="HTTP/1.1" connectionTimeout="20000">
      <!-- h2c: HTTP/2 by the HTTP/1.1 Upgrade of RFC 7540 3.2 (and prior knowledge) -->
      <UpgradeProtocol className="org.apache.coyote.http2.Http2Protocol" />
    </Connector>
    <Engine name="Catalina" defaultHost="localhost">
      <Host name="localhost" appBase="webapps" unpackWARs="false" autoDeploy="false">
        <Context path="" docBase="{dir}/webapps/ROOT" />
        <!-- The examples webapp of tomcat10-examples: its WebSocket echo endpoints -->
        <Context path="/examples" docBase="{examples}" />
      </Host>
    </Engine>
  </Service>
</Server>
"""


# The defaults every webapp inherits: only the default servlet (the static page), the one MIME
# type it serves, and its welcome file. catalina.properties is left to Tomcat's built-in default.
TOMCAT_WEB_XML = """\
<?xml version="1.0" encoding="UTF-8"?>
<web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
  <servlet>
    <servlet-name>default</servlet-name>
    <servlet-class>org.apache.catalina.servlets.DefaultServlet</servlet-class>
    <load-on-startup>1</load-on-startup>
  </servlet>
  <servlet-mapping>
    <servlet-name>default</servlet-name>
    <url-pattern>/</url-pattern>
  </servlet-mapping>
  <mime-mapping>
    <extension>html</extension>
    <mime-type>text/html</mime-type>
  </mime-mapping>
  <welcome-file-list>
    <welcome-file>index.html</welcome-file>
  </welcome-file-list>
</web-app>
"""


class Tomcat(Server):
    name = "tomcat10"
    ws_path = "/examples/websocket/echoAnnotation"

    def start(self):
        require_debian("tomcat10-common", os.path.join(TOMCAT_HOME, "bin", "bootstrap.jar"))
        require_debian("tomcat10-examples", TOMCAT_EXAMPLES)
        require_debian("openjdk-17-jre-headless", JAVA)
        self.port = free_port()
        for folder in ("conf", "logs", "temp", "work", "webapps/ROOT"):
            os.makedirs(os.path.join(self.dir, folder), exist_ok=True)
        self.write("webapps/ROOT/index.html", STATIC_PAGE)
        self.write("conf/server.xml", TOMCAT_SERVER_XML.format(port=self.port, dir=self.dir,
                                                               examples=TOMCAT_EXAMPLES))
        self.write("conf/web.xml", TOMCAT_WEB_XML)
        classpath = ":".join(os.path.join(TOMCAT_HOME, "bin", jar) for jar in ("bootstrap.jar", "tomcat-juli.jar"))
        process = self.spawn([JAVA] + JAVA_OPTIONS + [
            "-Dcatalina.home=" + TOMCAT_HOME, "-Dcatalina.base=" + self.dir,
            "-Djava.io.tmpdir=" + os.path.join(self.dir, "temp"),
            "-cp", classpath, "org.apache.catalina.startup.Bootstrap", "start"], "tomcat.log")
        process.wait_for_line(r"Server startup in")
        process.wait_for_port(self.port)

    def versions(self):
        return {"tomcat10": debian_version("tomcat10-common"), "java": debian_version("openjdk-17-jre-headless")}


JETTY_JARS = ["jetty9-%s.jar" % name for name in (
    "server", "http", "io", "util", "servlet", "security", "websocket-api", "websocket-common",
    "websocket-server", "websocket-servlet", "websocket-client", "http2-server", "http2-common",
    "http2-hpack")] + ["servlet-api.jar"]


class Jetty(Server):
    name = "jetty9"

    def start(self):
        require_debian("libjetty9-java", "/usr/share/java/jetty9-http2-server.jar")
        require_debian("libjetty9-extra-java", "/usr/share/java/jetty9-websocket-server.jar")
        require_debian("openjdk-17-jdk-headless", JAVAC)
        classpath = ":".join(os.path.join("/usr/share/java", jar) for jar in JETTY_JARS)
        classes = os.path.join(self.dir, "classes")
        # Compiled here, against the installed Jetty: a class file checked in would go stale.
        compiled = subprocess.run([JAVAC, "-nowarn", "-d", classes, "-cp", classpath,
                                   os.path.join(SERVER_SCRIPTS, "JettyEcho.java")],
                                  capture_output=True, timeout=60)
        if compiled.returncode != 0:
            raise Unavailable("javac JettyEcho.java failed:\n%s" % (compiled.stdout + compiled.stderr).decode(
                errors="replace"))
        self.write("html/index.html", STATIC_PAGE)
        process = self.spawn([JAVA] + JAVA_OPTIONS + ["-cp", classpath + ":" + classes, "JettyEcho", "0",
                                                       os.path.join(self.dir, "html")], "jetty.log")
        self.port = int(process.wait_for_line(r"listening on 127\.0\.0\.1:(\d+)").group(1))

    def versions(self):
        return {"jetty9": debian_version("libjetty9-java"), "java": debian_version("openjdk-17-jre-headless")}


SERVERS = {cls.name: cls for cls in (PythonWebsockets, NodeWs, Nginx, Apache, Haproxy, Varnish, Caddy,
                                     Tomcat, Jetty, Autobahn, WebSocketNode, Faye,
                                     NginxIntermediary, ApacheIntermediary, HaproxyIntermediary,
                                     VarnishIntermediary, CaddyIntermediary)}
