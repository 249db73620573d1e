#!/usr/bin/env python3
"""`make bad-input`: runs the bad-input corpus (Tests/BadInput/corpus.py) through the built
`berth` binary. For every case: the documented exit status, a clear message, no trap or crash, no
hang (each case has a deadline), nothing written to --out, no request sent when the input is
refused locally, and no secret printed. Servers are fakes on 127.0.0.1; nothing else is reached.
Prints each failure and a closing count.
"""
import concurrent.futures
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "Tests", "BadInput"))
import corpus  # noqa: E402

BERTH = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "debug", "berth"))
SECRET = "corpus-secret-never-printed"
CASE_DEADLINE = 40


class FakeServer:
    """A loopback server that answers every connection the way `mode` says, and counts them."""

    def __init__(self, mode):
        self.mode = mode
        self.requests = 0
        self.lock = threading.Lock()
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.closed = False
        threading.Thread(target=self.accept, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def accept(self):
        while not self.closed:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(connection,), daemon=True).start()

    def read_request(self, connection):
        data = b""
        connection.settimeout(10)
        while b"\r\n\r\n" not in data:
            chunk = connection.recv(65536)
            if not chunk:
                return data
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        while len(body) < length:
            chunk = connection.recv(65536)
            if not chunk:
                break
            body += chunk
        return head + b"\r\n\r\n" + body

    @staticmethod
    def answer(connection, status, body, content_type="text/xml", extra=""):
        if isinstance(body, str):
            body = body.encode()
        head = f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n{extra}\r\n"
        connection.sendall(head.encode() + body)

    def serve(self, connection):
        try:
            mode = self.mode
            if mode == "close":
                with self.lock:
                    self.requests += 1
                connection.close()
                return
            request = self.read_request(connection)
            with self.lock:
                self.requests += 1
            if mode.startswith("credentials:"):
                self.answer(connection, "200 OK", mode[len("credentials:"):], "application/json")
            elif mode == "record":
                self.answer(connection, "500 Internal Server Error", "<html>not expected</html>", "text/html")
            elif mode == "truncated-xml":
                self.answer(connection, "200 OK", "<DescribeStacksResponse><DescribeStacksResult><Stacks><member><StackName>x")
            elif mode == "moto-500":
                # moto's answer to an action it does not implement (UpdateTerminationProtection).
                self.answer(connection, "500 INTERNAL SERVER ERROR", "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n"
                            "<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable to complete your "
                            "request. Either the server is overloaded or there is an error in the application.</p>\n", "text/html; charset=utf-8")
            elif mode == "proxy-page":
                self.answer(connection, "502 Bad Gateway", "<HTML><HEAD><STYLE>body {color: red}</STYLE></HEAD>\n<BODY>\n<P>Proxy says\n no</P>"
                            + "<p>filler</p>" * 5000 + "</BODY></HTML>", "text/html")
            elif mode == "html-500":
                self.answer(connection, "500 Internal Server Error", "<!doctype html><html><body><h1>500</h1></body></html>", "text/html")
            elif mode == "empty-200":
                self.answer(connection, "200 OK", "")
            elif mode == "json-for-xml":
                self.answer(connection, "200 OK", "{\"unexpected\": true}", "application/json")
            elif mode == "xml-for-json":
                self.answer(connection, "200 OK", "<unexpected/>")
            elif mode == "enormous":
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 104857600\r\n\r\n")
                chunk = b"x" * (1 << 20)
                for _ in range(100):
                    connection.sendall(chunk)
            elif mode == "huge":
                self.answer(connection, "200 OK", b"<a>" + b"x" * (50 * 1024 * 1024))
            elif mode == "silent":
                time.sleep(30)
            elif mode == "redirect":
                self.answer(connection, "307 Temporary Redirect", "", extra="Location: http://127.0.0.2:9/elsewhere\r\n")
            elif mode == "drip":
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 100000\r\n\r\n")
                for _ in range(30):
                    connection.sendall(b"<")
                    time.sleep(1)
            elif mode == "garbage-status":
                connection.sendall(b"HELLO THERE\r\n\r\n")
            elif mode == "throttled":
                if b"x-amz-target" in request.lower():
                    self.answer(connection, "400 Bad Request", "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}", "application/x-amz-json-1.1")
                else:
                    self.answer(connection, "400 Bad Request", "<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>")
            connection.close()
        except OSError:
            pass

    def stop(self):
        self.closed = True
        self.listener.close()


def content(value):
    return value.encode() if isinstance(value, str) else value


def make_special(path, kind):
    """Puts at `path` what is not a regular file: a directory, a FIFO, a socket, a loop of symbolic
    links, a link to nothing, or a link to a device."""
    if os.path.lexists(path):
        os.remove(path)
    if kind == "directory":
        os.makedirs(path)
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(path)
        listener.close()
    elif kind == "loop":
        os.symlink(path + ".other", path)
        os.symlink(path, path + ".other")
    elif kind == "dangling":
        os.symlink(path + ".nowhere", path)
    elif kind.startswith("/dev/"):
        os.symlink(kind, path)
    else:
        raise ValueError(kind)


def run_case(case):
    work = tempfile.mkdtemp(prefix="berth-bad-input-")
    server = None
    try:
        config = os.path.join(ROOT, "stacks", "environments")
        if "env_file" in case:
            config = os.path.join(work, "config")
            os.makedirs(config)
            with open(os.path.join(config, "dev.yaml"), "wb") as file:
                file.write(content(case["env_file"]))
        template = os.path.join(work, "template.json")
        with open(template, "wb") as file:
            file.write(content(case.get("template", "{}")))
        if "env_special" in case:
            config = os.path.join(work, "config")
            os.makedirs(config, exist_ok=True)
            make_special(os.path.join(config, "dev.yaml"), case["env_special"])
        if "template_special" in case:
            make_special(template, case["template_special"])
        plain = os.path.join(work, "a-file")
        with open(plain, "w") as file:
            file.write("not a directory\n")
        out = os.path.join(work, "out")
        directory = os.path.join(work, "a-directory")
        os.makedirs(directory)
        fifo = os.path.join(work, "a-fifo")
        os.mkfifo(fifo)
        if "fifo_in_dir" in case:
            os.mkfifo(os.path.join(directory, case["fifo_in_dir"]))
        server = FakeServer(case.get("server", "record"))
        values = {"{config}": config, "{out}": out, "{template}": template, "{endpoint}": server.url, "{file}": plain, "{dir}": directory, "{fifo}": fifo}
        args = [arg for arg in case["args"]]
        for placeholder, value in values.items():
            args = [arg.replace(placeholder, value) for arg in args]
        env = {"PATH": os.environ.get("PATH", ""), "HOME": "/nonexistent-berth-home", "AWS_EC2_METADATA_DISABLED": "true", "CI": "true"}
        if case.get("credentials") == "container":
            env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server.url + "/credentials"
        elif case.get("credentials") == "web-identity":
            token = os.path.join(work, "token")
            with open(token, "w") as file:
                file.write("header.payload.signature")
            env.update(AWS_ROLE_ARN="arn:aws:iam::123456789012:role/deployer", AWS_WEB_IDENTITY_TOKEN_FILE=token)
        else:
            env.update(AWS_ACCESS_KEY_ID="AKIDCORPUS", AWS_SECRET_ACCESS_KEY=SECRET)
        for name, value in case.get("env", {}).items():
            for placeholder, filled in values.items():
                value = value.replace(placeholder, filled)
            env[name] = value
        started = time.monotonic()
        try:
            completed = subprocess.run([BERTH] + args, env=env, cwd=work, capture_output=True, timeout=CASE_DEADLINE)
        except subprocess.TimeoutExpired:
            return [f"hung: no answer within {CASE_DEADLINE} s"]
        elapsed = time.monotonic() - started
        stdout = completed.stdout.decode(errors="replace")
        stderr = completed.stderr.decode(errors="replace")
        problems = []
        if completed.returncode < 0 or completed.returncode >= 128 or any(
                marker in stderr for marker in ("Fatal error", "Backtracing", "Swift runtime failure", "Segmentation")):
            problems.append(f"crashed (status {completed.returncode}): {stderr[-400:]}")
        elif completed.returncode not in (case["exit"] if isinstance(case["exit"], list) else [case["exit"]]):
            problems.append(f"exit status {completed.returncode}, expected {case['exit']}: {stderr[-400:]}")
        message = case.get("message", "")
        for placeholder, filled in values.items():
            message = message.replace(placeholder, filled)
        if message and message not in stderr:
            problems.append(f"stderr lacks {message!r}: {stderr[-400:]!r}")
        for text in case.get("absent", []):
            if text in stderr:
                problems.append(f"stderr holds {text!r}: {stderr[-400:]!r}")
        secret = case.get("secret", SECRET)
        if secret in stdout or secret in stderr:
            problems.append("printed a secret")
        if case["exit"] != 0 and os.path.isdir(out) and os.listdir(out):
            problems.append(f"wrote {os.listdir(out)} to --out")
        quiet = case.get("quiet_server", case["exit"] in (2, 3) and "server" not in case)
        if quiet and server.requests:
            problems.append(f"sent {server.requests} requests for input it refused")
        if elapsed > 30:
            problems.append(f"took {elapsed:.0f} s")
        return problems
    finally:
        if server:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)


def main():
    if not os.access(BERTH, os.X_OK):
        sys.exit(f"bad-input: {BERTH} is not built; run make build")
    # An optional second argument runs only the cases whose name contains it.
    cases = [case for case in corpus.CASES if len(sys.argv) < 3 or sys.argv[2] in case["name"]]
    failures = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        for case, problems in zip(cases, pool.map(run_case, cases)):
            if problems:
                failures.append((case["name"], problems))
    for name, problems in failures:
        print(f"FAIL {name}")
        for problem in problems:
            print(f"     {problem}")
    print(f"bad-input corpus of {len(cases)} cases through {os.path.relpath(BERTH, ROOT)}")
    print(f"corpus: {len(cases) - len(failures)} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
