"""Make a development signing certificate once (for `make run` and trying the signature).

    python manage.py signing_certificate --dir .signing --passphrase rakortek-dev

Writes DIR/signer.p12 (the signer's key and certificate) and DIR/ca.pem (the
throwaway CA that issued it) unless DIR/signer.p12 exists already. Nothing
trusts that CA: documents signed with it verify as signed, by an untrusted
certificate. A real office uses its own certificate (README, "Electronic signature").
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from rakortek.documents.certificates import write_development_certificate


class Command(BaseCommand):
    help = "Make a development PKCS#12 signing certificate in a folder, once."

    def add_arguments(self, parser):
        parser.add_argument("--dir", required=True, help="folder for signer.p12 and ca.pem")
        parser.add_argument("--passphrase", required=True, help="passphrase of signer.p12")
        parser.add_argument(
            "--name",
            default="Sekretariat RAKORTEK (sertifikat pengembangan)",
            help="the signer's common name",
        )

    def handle(self, *args, dir, passphrase, name, **options):
        folder = Path(dir)
        if write_development_certificate(folder, passphrase=passphrase, signer_name=name):
            self.stdout.write(f"Development signing certificate written to {folder / 'signer.p12'}")
        else:
            self.stdout.write(f"{folder / 'signer.p12'} exists; left as it is")
