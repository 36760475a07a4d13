#!/usr/bin/env python3
"""Prints N HS256 user tokens for a benchmark node's shared secret, one per line (subjects PREFIX-1 .. N, no roles).

Usage: scripts/bench/mint-hs256.py N PREFIX SECRET [HOURS]
The same claims the dev token endpoint issues ({sub, roles, iat, exp}), signed offline: minting 5,000 tokens through
the endpoint took minutes (one curl each) and warmed the node it ran on. Benchmarks only: the secret is the bench one.
"""
import base64, hashlib, hmac, json, sys, time


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def main() -> None:
    n, prefix, secret = int(sys.argv[1]), sys.argv[2], sys.argv[3].encode()
    hours = int(sys.argv[4]) if len(sys.argv) > 4 else 24
    now = int(time.time())
    head = b64(json.dumps({"typ": "JWT", "alg": "HS256"}, separators=(",", ":")).encode())
    out = []
    for i in range(1, n + 1):
        claims = {"sub": f"{prefix}-{i}", "roles": [], "iat": now, "exp": now + hours * 3600}
        body = head + "." + b64(json.dumps(claims, separators=(",", ":")).encode())
        sig = b64(hmac.new(secret, body.encode(), hashlib.sha256).digest())
        out.append(body + "." + sig)
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
