#!/bin/sh
# `make tls DOMAIN=books.example.com EMAIL=you@example.com [STAGING=1]`: the first Let's Encrypt
# certificate for the compose stack, then the whole stack running on it.
#
# nginx cannot start without a certificate, and Let's Encrypt checks the domain through nginx
# (webroot challenge on port 80). So: a one-day self-signed stand-in first, nginx up, the
# stand-in removed, certbot's real one requested, nginx reloaded. After that the certbot
# service renews it and nginx reloads every 6 hours.
set -eu

DOMAIN=${DOMAIN:?usage: make tls DOMAIN=books.example.com EMAIL=you@example.com}
EMAIL=${EMAIL:?usage: make tls DOMAIN=books.example.com EMAIL=you@example.com}
COMPOSE=${COMPOSE:-docker compose -f infra/compose.yaml --env-file infra/.env}
LIVE=/etc/letsencrypt/live/bookreader
STAGING_FLAG=""
if [ "${STAGING:-}" = "1" ]; then STAGING_FLAG="--staging"; fi

# certbot's image has Python and the cryptography package: the stand-in is made with them.
STAND_IN='
import datetime, os, sys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
live, domain = sys.argv[1], sys.argv[2]
os.makedirs(live, exist_ok=True)
key = ec.generate_private_key(ec.SECP256R1())
name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, domain)])
now = datetime.datetime.now(datetime.timezone.utc)
cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256()))
pem = cert.public_bytes(serialization.Encoding.PEM)
for file in ("fullchain.pem", "chain.pem"):
    open(os.path.join(live, file), "wb").write(pem)
open(os.path.join(live, "privkey.pem"), "wb").write(key.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
open(os.path.join(live, "STAND-IN"), "w").write("self-signed by make tls\n")
'

if $COMPOSE run --rm --no-deps --entrypoint test certbot -s "$LIVE/fullchain.pem"; then
  echo "A certificate is already in place; certbot renews it. Starting the stack."
  $COMPOSE up -d
  exit 0
fi

echo "1/4 A self-signed stand-in, so nginx can start"
$COMPOSE run --rm --no-deps --entrypoint python3 certbot -c "$STAND_IN" "$LIVE" "$DOMAIN"
echo "2/4 The stack, with nginx serving the ACME challenge on port 80"
$COMPOSE up -d nginx
echo "3/4 Let's Encrypt's certificate for $DOMAIN (webroot challenge)"
$COMPOSE run --rm --no-deps --entrypoint rm certbot -rf "$LIVE"
$COMPOSE run --rm --no-deps --entrypoint certbot certbot certonly --webroot -w /var/www/certbot \
  --cert-name bookreader -d "$DOMAIN" --email "$EMAIL" --agree-tos --no-eff-email \
  --non-interactive $STAGING_FLAG
echo "4/4 nginx on the new certificate; renewals from now on"
$COMPOSE exec nginx nginx -s reload
$COMPOSE up -d
echo "Done: https://$DOMAIN/"
