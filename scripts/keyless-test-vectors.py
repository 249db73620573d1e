#!/usr/bin/env python3
"""Makes keyless Cosign signatures for tests, in the layout `cosign sign` (keyless, as in GitHub
Actions) writes them, without Fulcio or Rekor: a root CA and an intermediate in the role of
Fulcio, a leaf certificate with Fulcio's extensions and 10 minutes of validity, and a key in the
role of Rekor that signs the entry's signed entry timestamp (SET).

Uses Python's `cryptography` package (OpenSSL underneath; moto, which the tests need anyway,
depends on it). The CA and log keys are kept in directories so that calls share one trusted root.

  keyless-test-vectors.py --payload FILE --out DIR --ca DIR --rekor DIR
      [--subject URI|EMAIL] [--issuer URL] [--set-key DIR] [--logged-after SECONDS] [--dsse [--no-set]]

writes into --out:
  trusted_root.json   Sigstore's TrustedRoot (protobuf-specs JSON) of --ca and --rekor
  signature           base64 ECDSA-SHA256 signature of the payload (dev.cosignproject.cosign/signature)
  certificate.pem     the leaf (dev.sigstore.cosign/certificate)
  chain.pem           intermediate then root (dev.sigstore.cosign/chain)
  bundle.json         the Rekor bundle (dev.sigstore.cosign/bundle)

With --dsse, the payload is an in-toto statement signed as `cosign sign` 3 signs an image: a DSSE
envelope (the signature over its pre-authentication encoding), logged as a Rekor `dsse` entry, and
also written as
  sigstore-bundle.json  the Sigstore bundle v0.3 (protobuf-specs Bundle JSON) of the referrer
--no-set leaves the entry's inclusion promise (SET) out and gives it an inclusion proof instead, as
a Rekor v2 entry has.

--set-key signs the SET with another key while naming --rekor's log; --logged-after sets the
integrated time that many seconds after the leaf's notBefore (the default, 30, is inside it).
Formats: sigstore/cosign specs/SIGNATURE_SPEC.md, sigstore/protobuf-specs TrustedRoot, Rekor's
hashedrekord entry and SET (canonical JSON of body, integratedTime, logID, logIndex).
"""
import argparse
import base64
import datetime
import hashlib
import json
import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

# Certificates are dated from this fixed instant (2025-12-06T05:46:40Z) so that the vectors'
# times do not depend on when they are made.
SIGNED_AT = 1765000000
UTC = datetime.timezone.utc


def when(seconds):
    return datetime.datetime.fromtimestamp(seconds, UTC)


def key_in(directory, name):
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, name + ".key.pem")
    if os.path.exists(path):
        with open(path, "rb") as handle:
            return serialization.load_pem_private_key(handle.read(), None)
    key = ec.generate_private_key(ec.SECP256R1())
    with open(path, "wb") as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return key


def spki(key):
    return key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def certificate_in(directory, name, build):
    path = os.path.join(directory, name + ".pem")
    if os.path.exists(path):
        with open(path, "rb") as handle:
            return x509.load_pem_x509_certificate(handle.read())
    certificate = build()
    with open(path, "wb") as handle:
        handle.write(certificate.public_bytes(serialization.Encoding.PEM))
    return certificate


def authority(directory):
    root_key = key_in(directory, "root")
    intermediate_key = key_in(directory, "intermediate")
    root_name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "sigstore.dev"), x509.NameAttribute(NameOID.COMMON_NAME, "sigstore")])
    intermediate_name = x509.Name(
        [x509.NameAttribute(NameOID.ORGANIZATION_NAME, "sigstore.dev"), x509.NameAttribute(NameOID.COMMON_NAME, "sigstore-intermediate")])

    def ca(subject, issuer, key, signer, path_length):
        return (
            x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(when(SIGNED_AT - 365 * 86400)).not_valid_after(when(SIGNED_AT + 10 * 365 * 86400))
            .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=False, content_commitment=False, key_encipherment=False, data_encipherment=False, key_agreement=False,
                    key_cert_sign=True, crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(signer, hashes.SHA384()))

    root = certificate_in(directory, "root", lambda: ca(root_name, root_name, root_key, root_key, 1))
    intermediate = certificate_in(directory, "intermediate", lambda: ca(intermediate_name, root_name, intermediate_key, root_key, 0))
    return intermediate_key, intermediate, root


def der_utf8_string(text):
    data = text.encode()
    if len(data) < 0x80:
        return bytes([0x0C, len(data)]) + data
    if len(data) < 0x100:
        return bytes([0x0C, 0x81, len(data)]) + data
    return bytes([0x0C, 0x82, len(data) >> 8, len(data) & 0xFF]) + data


def pem(certificate):
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--payload", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--ca", required=True)
    parser.add_argument("--rekor", required=True)
    parser.add_argument("--subject", default="https://github.com/acme/shop/.github/workflows/release.yml@refs/heads/main")
    parser.add_argument("--issuer", default="https://token.actions.githubusercontent.com")
    parser.add_argument("--set-key")
    parser.add_argument("--logged-after", type=int, default=30)
    parser.add_argument("--dsse", action="store_true")
    parser.add_argument("--no-set", action="store_true")
    # The leaf's extended key usage: Fulcio's code signing, another purpose, or none at all.
    parser.add_argument("--key-usage", choices=["code-signing", "server-auth", "none", "oversized"], default="code-signing")
    options = parser.parse_args()

    with open(options.payload, "rb") as handle:
        payload = handle.read()
    intermediate_key, intermediate, root = authority(options.ca)
    rekor_key = key_in(options.rekor, "rekor")

    # The leaf, as Fulcio issues it for an OIDC token: no subject, the identity in a critical SAN,
    # code signing only (unless --key-usage says otherwise), the issuer in both extensions, 10 minutes of validity.
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    # A workflow's identity is a URI; a person's (signing with Google, GitHub, …) an email address.
    san = x509.UniformResourceIdentifier(options.subject) if "://" in options.subject else x509.RFC822Name(options.subject)
    leaf = (
        x509.CertificateBuilder().subject_name(x509.Name([])).issuer_name(intermediate.subject).public_key(leaf_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(when(SIGNED_AT)).not_valid_after(when(SIGNED_AT + 600))
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False, key_agreement=False,
                key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectAlternativeName([san]), critical=True)
        .add_extension(x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.57264.1.1"), options.issuer.encode()), critical=False)
        .add_extension(x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.57264.1.8"), der_utf8_string(options.issuer)), critical=False)
    )
    if options.key_usage == "oversized":
        # Over 8 KiB of purposes, none of them code signing: more than Berth reads of an extension.
        purposes = [x509.ObjectIdentifier(f"1.3.6.1.4.1.99999.{index}") for index in range(1000)]
        leaf = leaf.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH] + purposes), critical=False)
    elif options.key_usage != "none":
        purpose = ExtendedKeyUsageOID.CODE_SIGNING if options.key_usage == "code-signing" else ExtendedKeyUsageOID.SERVER_AUTH
        leaf = leaf.add_extension(x509.ExtendedKeyUsage([purpose]), critical=False)
    leaf = leaf.sign(intermediate_key, hashes.SHA384())
    payload_type = "application/vnd.in-toto+json"
    # DSSE signs the pre-authentication encoding: "DSSEv1 <len type> <type> <len payload> <payload>".
    signed = (b"DSSEv1 %d %s %d " % (len(payload_type), payload_type.encode(), len(payload)) + payload) if options.dsse else payload
    signature = leaf_key.sign(signed, ec.ECDSA(hashes.SHA256()))
    envelope = {"payload": base64.b64encode(payload).decode(), "payloadType": payload_type,
                "signatures": [{"sig": base64.b64encode(signature).decode(), "keyid": ""}]}

    if options.dsse:
        body = {
            "apiVersion": "0.0.1", "kind": "dsse",
            "spec": {
                "envelopeHash": {"algorithm": "sha256", "value": hashlib.sha256(json.dumps(envelope, separators=(",", ":")).encode()).hexdigest()},
                "payloadHash": {"algorithm": "sha256", "value": hashlib.sha256(payload).hexdigest()},
                "signatures": [{"signature": base64.b64encode(signature).decode(), "verifier": base64.b64encode(pem(leaf).encode()).decode()}],
            },
        }
    else:
        body = {
            "apiVersion": "0.0.1", "kind": "hashedrekord",
            "spec": {
                "data": {"hash": {"algorithm": "sha256", "value": hashlib.sha256(payload).hexdigest()}},
                "signature": {"content": base64.b64encode(signature).decode(), "publicKey": {"content": base64.b64encode(pem(leaf).encode()).decode()}},
            },
        }
    log_id = hashlib.sha256(spki(rekor_key)).hexdigest()
    entry = {
        "body": base64.b64encode(json.dumps(body, separators=(",", ":")).encode()).decode(),
        "integratedTime": SIGNED_AT + options.logged_after,
        "logID": log_id,
        "logIndex": 123456,
    }
    canonical = json.dumps(entry, separators=(",", ":"), sort_keys=True).encode()
    set_key = key_in(options.set_key, "rekor") if options.set_key else rekor_key
    signed_entry_timestamp = base64.b64encode(set_key.sign(canonical, ec.ECDSA(hashes.SHA256()))).decode()
    bundle = {"SignedEntryTimestamp": signed_entry_timestamp, "Payload": entry}
    tlog_entry = {
        "logIndex": str(entry["logIndex"]), "logId": {"keyId": base64.b64encode(bytes.fromhex(log_id)).decode()},
        "kindVersion": {"kind": body["kind"], "version": "0.0.1"}, "integratedTime": str(entry["integratedTime"]),
        "canonicalizedBody": entry["body"],
    }
    if options.no_set:
        tlog_entry["inclusionProof"] = {
            "logIndex": str(entry["logIndex"]), "rootHash": base64.b64encode(hashlib.sha256(canonical).digest()).decode(), "treeSize": "123457",
            "hashes": [], "checkpoint": {"envelope": "rekor.example - 1\n123457\n\n"}}
    else:
        tlog_entry["inclusionPromise"] = {"signedEntryTimestamp": signed_entry_timestamp}
    sigstore_bundle = {
        "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
        "verificationMaterial": {"certificate": {"rawBytes": base64.b64encode(leaf.public_bytes(serialization.Encoding.DER)).decode()},
                                 "tlogEntries": [tlog_entry]},
        "dsseEnvelope": envelope,
    }

    trusted_root = {
        "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
        "tlogs": [{
            "baseUrl": "https://rekor.example", "hashAlgorithm": "SHA2_256",
            "publicKey": {"rawBytes": base64.b64encode(spki(rekor_key)).decode(), "keyDetails": "PKIX_ECDSA_P256_SHA_256",
                          "validFor": {"start": "2025-01-01T00:00:00Z"}},
            "logId": {"keyId": base64.b64encode(bytes.fromhex(log_id)).decode()},
        }],
        "certificateAuthorities": [{
            "subject": {"organization": "sigstore.dev", "commonName": "sigstore"}, "uri": "https://fulcio.example",
            "certChain": {"certificates": [
                {"rawBytes": base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode()} for c in (intermediate, root)]},
            "validFor": {"start": "2025-01-01T00:00:00Z"},
        }],
        "ctlogs": [], "timestampAuthorities": [],
    }
    os.makedirs(options.out, exist_ok=True)
    files = {
        "trusted_root.json": json.dumps(trusted_root, indent=2),
        "signature": base64.b64encode(signature).decode(),
        "certificate.pem": pem(leaf),
        "chain.pem": pem(intermediate) + pem(root),
        "bundle.json": json.dumps(bundle, separators=(",", ":")),
    }
    if options.dsse:
        files["sigstore-bundle.json"] = json.dumps(sigstore_bundle, indent=2)
    for name, text in files.items():
        with open(os.path.join(options.out, name), "w") as handle:
            handle.write(text)


if __name__ == "__main__":
    main()
