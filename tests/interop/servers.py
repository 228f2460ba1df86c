"""The real servers of the interop tests: each one configured in a temp folder on a free loopback
port, started, and stopped by its PID (also when anything fails: every server is a context
manager).

Nothing here touches the system's configuration: nginx runs with -p/-c on its own prefix,
apache2 with -f on its own config; both in the foreground, so the PID we hold is the master's.
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

    def __init__(self, args, log_path, cwd=None):
        self.args = args
        self.log_path = log_path
        self.log = open(log_path, "wb")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, cwd=cwd,
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

    def __init__(self):
        self.dir = None
        self.processes = []
        self.port = None

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

    def spawn(self, args, log_name, cwd=None):
        process = Process(args, os.path.join(self.dir, log_name), cwd)
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
        backend = self.start_python_backend()
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
# The classic WebSocket reverse proxy: mod_proxy_wstunnel.
<Location /ws>
    Require all granted
</Location>
ProxyPass /ws ws://127.0.0.1:{backend}/ws
"""


class Apache(Server):
    name = "apache2"

    def start(self):
        require_debian("apache2-bin", APACHE)
        backend = self.start_python_backend()
        self.write("htdocs/index.html", STATIC_PAGE)
        os.makedirs(os.path.join(self.dir, "run"), mode=0o755)
        self.port = free_port()
        # As root, apache2 refuses to serve as root: its children run as nobody.
        user = "User nobody\nGroup nogroup" if os.geteuid() == 0 else ""
        conf = self.write("apache2.conf", APACHE_CONF.format(dir=self.dir, port=self.port, backend=backend,
                                                             modules=APACHE_MODULES, user=user))
        process = self.spawn([APACHE, "-f", conf, "-DFOREGROUND"], "apache2.log")
        process.wait_for_port(self.port)

    def versions(self):
        return {"apache2": debian_version("apache2-bin"), "python3-websockets": debian_version("python3-websockets")}


SERVERS = {cls.name: cls for cls in (PythonWebsockets, NodeWs, Nginx, Apache)}
