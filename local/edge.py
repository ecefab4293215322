"""The edge without Docker: infra/nginx/nginx.conf.template rendered for this machine and run by
its own nginx (Debian's package) in front of the runtime, for `make local-up-edge` and the tests.

Compose renders the same template with the nginx image's envsubst; here only the `${BR_…}`
placeholders are replaced (nginx's own `$variables` are left alone), so both read one file.
"""

from __future__ import annotations

import datetime
import ipaddress
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from local.settings import PROJECT_ROOT, RuntimeSettings

TEMPLATE = PROJECT_ROOT / "infra" / "nginx" / "nginx.conf.template"
PLACEHOLDER = re.compile(r"\$\{(BR_[A-Z0-9_]+)\}")


def placeholders(text: str) -> set[str]:
    """The `${BR_…}` names a template uses."""
    return set(PLACEHOLDER.findall(text))


def render(text: str, values: dict[str, str]) -> str:
    """`text` with every `${BR_…}` replaced; a missing or an unknown value is an error."""
    missing = placeholders(text) - set(values)
    unknown = set(values) - placeholders(text)
    if missing or unknown:
        raise ValueError(f"edge template: missing {sorted(missing)}, unknown {sorted(unknown)}")
    return PLACEHOLDER.sub(lambda match: values[match[1]], text)


def find_nginx() -> str | None:
    found = shutil.which("nginx")
    candidates = ("/usr/sbin/nginx", "/usr/local/sbin/nginx")
    return found or next((path for path in candidates if Path(path).exists()), None)


@dataclass(frozen=True)
class EdgeLayout:
    """Where this machine's nginx listens, what it proxies to, and its files."""

    app: str  # host:port of the runtime
    store: str  # host:port of the S3 store (the runtime again when it keeps objects on disk)
    http_port: int
    https_port: int
    site_root: Path  # the built SPA
    work_dir: Path  # pid, logs, temp files, the rendered config
    cert: Path
    key: Path
    host: str = "127.0.0.1"

    def values(self) -> dict[str, str]:
        return {
            "BR_APP_SERVER": self.app,
            "BR_STORE_SERVER": self.store,
            "BR_HTTP_LISTEN": f"{self.host}:{self.http_port}",
            "BR_HTTPS_LISTEN": f"{self.host}:{self.https_port}",
            "BR_HTTPS_PORT_SUFFIX": "" if self.https_port == 443 else f":{self.https_port}",
            "BR_SITE_ROOT": str(self.site_root),
            "BR_ACME_ROOT": str(self.work_dir / "acme"),
            "BR_RUN_DIR": str(self.work_dir),
            "BR_LOG_DIR": str(self.work_dir),
            "BR_RESOLVER": "127.0.0.1",
            "BR_TLS_CERT": str(self.cert),
            "BR_TLS_KEY": str(self.key),
            "BR_TLS_CHAIN": str(self.cert),
        }


def self_signed_certificate(directory: Path, names: tuple[str, ...] = ("localhost",)) -> Path:
    """A certificate for `names` and 127.0.0.1 (cert.pem, key.pem in `directory`); returns it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    directory.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    now = datetime.datetime.now(datetime.UTC)
    alternative = [x509.DNSName(name) for name in names] + [
        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))
    ]
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName(alternative), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    (directory / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path = directory / "key.pem"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return directory / "cert.pem"


class Nginx:
    """nginx in the foreground with a config rendered into `layout.work_dir`."""

    def __init__(self, layout: EdgeLayout, binary: str | None = None) -> None:
        self.layout = layout
        found = binary or find_nginx()
        if found is None:
            raise RuntimeError("nginx is not installed (apt-get install nginx)")
        self.binary = found
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def config_path(self) -> Path:
        return self.layout.work_dir / "nginx.conf"

    def write_config(self) -> Path:
        work = self.layout.work_dir
        work.mkdir(parents=True, exist_ok=True)
        # nginx's workers drop privileges when started as root: they must read the site.
        work.chmod(0o755)
        (work / "acme").mkdir(exist_ok=True)
        text = render(TEMPLATE.read_text(encoding="utf-8"), self.layout.values())
        self.config_path.write_text(text, encoding="utf-8")
        return self.config_path

    def start(self, timeout: float = 20) -> None:
        self.write_config()
        log = self.layout.work_dir / "startup.log"
        self.process = subprocess.Popen(
            [self.binary, "-c", str(self.config_path), "-e", str(log), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited with {self.process.returncode}:\n{self.log()}")
            try:
                socket.create_connection((self.layout.host, self.layout.https_port), 1).close()
                return
            except OSError:
                time.sleep(0.1)
        self.stop(remove=False)
        raise RuntimeError(f"nginx did not start listening:\n{self.log()}")

    def log(self) -> str:
        return "".join(p.read_text(errors="replace") for p in self.layout.work_dir.glob("*.log"))

    def stop(self, remove: bool = True) -> None:
        """Stop nginx (gracefully: the requests in flight finish) and remove its work dir."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if remove:
            shutil.rmtree(self.layout.work_dir, ignore_errors=True)


def prepare_edge(settings: RuntimeSettings) -> tuple[RuntimeSettings, Callable[[int], Nginx]]:
    """`make local-up-edge`: the runtime's settings as seen through nginx (its public URL is
    nginx's HTTPS origin, so presigned URLs go through it), and how to start nginx once the
    runtime listens on its port."""
    https = settings.edge_https_port
    public_url = settings.public_url or (
        "https://localhost" + ("" if https == 443 else f":{https}")
    )
    # nginx runs on this machine: its loopback address is the proxy to believe.
    trusted = settings.trusted_proxies or "127.0.0.1/32,::1/128"
    settings = settings.with_shared(public_url=public_url, trusted_proxies=trusted)
    if settings.edge_tls_cert and settings.edge_tls_key:
        cert, key = settings.edge_tls_cert, settings.edge_tls_key
    else:
        tls_dir = settings.data_dir / "edge-tls"
        cert, key = tls_dir / "cert.pem", tls_dir / "key.pem"
        if not cert.exists() or not key.exists():
            self_signed_certificate(tls_dir)

    def start_nginx(app_port: int) -> Nginx:
        app = f"{settings.host}:{app_port}"
        endpoint = urlsplit(settings.s3_endpoint_url or "")
        layout = EdgeLayout(
            app=app,
            store=endpoint.netloc or app,
            http_port=settings.edge_http_port,
            https_port=https,
            site_root=settings.spa_dir.resolve(),
            # Under /tmp: nginx's workers (nobody, when started as root) write temp files here.
            work_dir=Path(tempfile.mkdtemp(prefix="bookreader-edge-")),
            cert=cert.resolve(),
            key=key.resolve(),
        )
        nginx = Nginx(layout)
        nginx.start()
        return nginx

    return settings, start_nginx
