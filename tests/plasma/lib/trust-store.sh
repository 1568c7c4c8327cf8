# shellcheck shell=bash
# Sourced by tests/plasma/run.sh (host): whether the Plasma tests left the
# simulator's CA trusted in the shared root (trust_sim_ca/untrust_sim_ca in
# common.sh put it in and take it out).

# root_trust_problems ROOT: prints what of a simulator CA is left in the
# root's trust store (nothing when clean): the .crt, links to it or any link
# that dangles, and certificates of the simulator's issuer in the bundle.
# Absolute links are resolved inside ROOT, not on the host.
root_trust_problems() {
  local root=$1
  ls "$root"/usr/local/share/ca-certificates/proxmon-sim* 2>/dev/null || true
  python3 - "$root" <<'PY'
import os, sys
root = sys.argv[1]
certs = os.path.join(root, "etc/ssl/certs")
for name in sorted(os.listdir(certs)):
    path = os.path.join(certs, name)
    seen = 0
    while os.path.islink(path) and seen < 10:
        target = os.readlink(path)
        if "proxmon-sim" in target:
            print("link to the simulator CA:", name, "->", target)
        path = root + target if target.startswith("/") else os.path.join(os.path.dirname(path), target)
        seen += 1
    if seen and not os.path.exists(path):
        print("dangling link:", name)
PY
  if [ -s "$root/etc/ssl/certs/ca-certificates.crt" ]; then
    openssl crl2pkcs7 -nocrl -certfile "$root/etc/ssl/certs/ca-certificates.crt" 2>/dev/null |
      openssl pkcs7 -print_certs -noout 2>/dev/null | grep 'ProxMon Simulator' || true
  fi
}
