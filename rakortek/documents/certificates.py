"""A development signing certificate: a throwaway CA and a signer, as a PKCS#12 file.

For the demo and for trying the electronic signature; a real office signs with
its own certificate (e.g. from BSrE), and nothing trusts this CA.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass(frozen=True)
class Issued:
    p12: bytes
    certificate: x509.Certificate
    ca_certificate: x509.Certificate


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def issue_certificate(
    *,
    signer_name: str,
    passphrase: str,
    ca_name: str = "Rakortek Development CA",
    organisation: str = "Rakortek (pengembangan)",
    days: int = 3650,
) -> Issued:
    """A new CA and a signing certificate it issued, the latter with its key as PKCS#12."""
    now = datetime.now(UTC) - timedelta(minutes=5)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_subject = _name(ca_name, organisation)
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_subject)
        .issuer_name(ca_subject)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(signer_name, organisation))
        .issuer_name(ca_subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    p12 = pkcs12.serialize_key_and_certificates(
        name=signer_name.encode(),
        key=key,
        cert=cert,
        cas=[ca_cert],
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase.encode()),
    )
    return Issued(p12=p12, certificate=cert, ca_certificate=ca_cert)


def write_development_certificate(folder: Path, *, passphrase: str, signer_name: str) -> bool:
    """Write signer.p12 and ca.pem into `folder` unless they exist; True if written."""
    p12_path = folder / "signer.p12"
    if p12_path.exists():
        return False
    folder.mkdir(parents=True, exist_ok=True)
    issued = issue_certificate(signer_name=signer_name, passphrase=passphrase)
    (folder / "ca.pem").write_bytes(issued.ca_certificate.public_bytes(serialization.Encoding.PEM))
    p12_path.write_bytes(issued.p12)
    p12_path.chmod(0o600)
    return True
