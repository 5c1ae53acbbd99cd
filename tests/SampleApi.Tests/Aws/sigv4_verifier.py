"""Stands for AWS's OTLP endpoints in tests: checks every request's SigV4 signature with botocore.

Run with Debian's python3-botocore (/usr/bin/python3). Arguments: access key id, secret key,
session token ("" for none), the server certificate and its key (PEM files). Serves HTTPS, as AWS
does, on 127.0.0.1 at a port the OS picks and prints
{"port": N} first. Each request then prints one JSON line: what was signed, whether botocore
computes the same signature, and the body (gunzipped, base64). While refusing (the start, or after
"refuse" on stdin) every request is answered 503 after it is checked; "accept" on stdin makes it
answer 200 to valid requests and 403 with x-amzn-ErrorType to invalid ones.
"""

import base64
import gzip
import json
import re
import ssl
import sys
import threading
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

AUTHORIZATION = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=(?P<key>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/(?P<service>[^/]+)/aws4_request, "
    r"SignedHeaders=(?P<signed>[^,]+), Signature=(?P<signature>[0-9a-f]{64})$")
# AWS refuses a signature whose X-Amz-Date is more than 5 minutes away from its clock.
MAX_SKEW = timedelta(minutes=5)

access_key, secret_key, token = sys.argv[1], sys.argv[2], sys.argv[3] or None
certificate_file, key_file = sys.argv[4], sys.argv[5]
state = {"accepting": False}
output = threading.Lock()


def emit(record):
    with output:
        print(json.dumps(record), flush=True)


def verify(method, path, headers, body):
    """Returns (valid, reason, details) for one received request."""
    authorization = headers.get("authorization", "")
    match = AUTHORIZATION.match(authorization)
    if not match:
        return False, "IncompleteSignatureException", {"authorization": authorization}
    details = match.groupdict()
    host = headers.get("host", "")
    labels = host.split(":")[0].split(".")
    expected_service, expected_region = labels[0], labels[1] if len(labels) > 1 else ""
    signed = details["signed"].split(";")
    details.update(host=host, signed=signed, amz_date=headers.get("x-amz-date"), token=headers.get("x-amz-security-token"))
    if details["key"] != access_key:
        return False, "UnrecognizedClientException", details
    if details["service"] != expected_service or details["region"] != expected_region:
        return False, "InvalidSignatureException", details
    if token is not None and headers.get("x-amz-security-token") != token:
        return False, "UnrecognizedClientException", details
    timestamp = datetime.strptime(details["amz_date"] or "", "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    if abs(datetime.now(timezone.utc) - timestamp) > MAX_SKEW:
        return False, "InvalidSignatureException", details
    request = AWSRequest(method=method, url=f"https://{host}{path}", data=body,
                         headers={name: headers[name] for name in signed if name in headers})
    request.context["timestamp"] = details["amz_date"]
    auth = SigV4Auth(Credentials(access_key, secret_key, token), details["service"], details["region"])
    canonical = auth.canonical_request(request)
    expected = auth.signature(auth.string_to_sign(request, canonical), request)
    if expected != details["signature"]:
        details["canonical_request"] = canonical
        return False, "InvalidSignatureException", details
    return True, None, details


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        headers = {name.lower(): value for name, value in self.headers.items()}
        valid, reason, details = verify("POST", self.path, headers, body)
        message = gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body
        accepting = state["accepting"]
        emit({"path": self.path, "valid": valid, "reason": reason, "accepted": accepting and valid,
              "headers": sorted(headers), "details": details, "body": base64.b64encode(message).decode()})
        if not accepting:
            self.answer(503, {})
        elif valid:
            self.answer(200, {"Content-Type": "application/x-protobuf"})
        else:
            self.answer(403, {"x-amzn-ErrorType": f"{reason}:http://internal.amazon.com/coral/com.amazon.coral.service/"})

    def answer(self, status, headers):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
tls.load_cert_chain(certificate_file, key_file)
server.socket = tls.wrap_socket(server.socket, server_side=True)
emit({"port": server.server_address[1]})
threading.Thread(target=server.serve_forever, daemon=True).start()
for line in sys.stdin:
    state["accepting"] = line.strip() == "accept"
server.shutdown()
