"""A moto server on a free loopback port, and the image push that a CI job's `docker push`
would make, for the scripts that run berth against a local AWS (`make bench`, `make demo`)."""
import os
import re
import subprocess
import sys
import threading
import time


def start_moto():
    """Starts `python -m moto.server` on 127.0.0.1; returns (process, port)."""
    env = dict(os.environ, AWS_EC2_METADATA_DISABLED="true")
    process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
    deadline = time.time() + 30
    while time.time() < deadline:
        line = process.stdout.readline()
        match = re.search(r"Running on http://127\.0\.0\.1:(\d+)", line)
        if match:
            threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
            return process, int(match.group(1))
    process.kill()
    sys.exit("moto did not start; run `make setup`")


def put_image(moto_port, repository, tag, region="eu-west-1"):
    """ECR PutImage with a manifest unique to `tag`, as the end of `docker push` makes it."""
    import boto3
    ecr = boto3.client("ecr", region_name=region, endpoint_url=f"http://127.0.0.1:{moto_port}",
                       aws_access_key_id="AKIDLOCAL", aws_secret_access_key="local")
    manifest = '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","layers":[],"annotations":{"t":"%s"}}' % tag
    ecr.put_image(repositoryName=repository, imageTag=tag, imageManifest=manifest)


def relay(handler, port, body):
    """Sends the request `handler` (an http.server handler whose body was read as `body`) on to
    127.0.0.1:`port` unchanged, and its answer back: what a local stand-in does with the calls it
    does not play."""
    import http.client
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {key: value for key, value in handler.headers.items() if key.lower() != "connection"}
    connection.request("POST", handler.path, body, headers)
    response = connection.getresponse()
    data = response.read()
    handler.send_response(response.status)  # which writes its own Server and Date
    for key, value in response.getheaders():
        if key.lower() not in ("content-length", "transfer-encoding", "connection", "server", "date"):
            handler.send_header(key, value)
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


def reply(handler, status, content_type, data):
    """Answers the request `handler` (an http.server handler) with `data`: what a local stand-in
    does with the calls it plays."""
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


def serve(handler_class):
    """An HTTP server of `handler_class` on 127.0.0.1 at a free port, answering on a daemon thread;
    its port is `server.server_address[1]`, `server.shutdown()` stops it."""
    import http.server
    import threading
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
