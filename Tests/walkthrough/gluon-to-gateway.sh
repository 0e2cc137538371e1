#!/usr/bin/env bash
# The README's walk-through "From a Gluon site to a running gateway", as one script a test runs on a corpus site.
#
#   Tests/walkthrough/gluon-to-gateway.sh SITE.CONF WORKDIR
#
# GWSETUP names the gwsetup to run (default: the one on PATH, as the package installs it). WORKDIR must not exist.
# By default the script stays offline: plan runs with --offline, and apply, which needs the gateways, is stood in for
# by `render` (the files apply would write) and by a fastd key made here the way apply makes it on each gateway, printed
# in apply's own words. GWSETUP_WALKTHROUGH_LIVE=1 runs the real `gwsetup apply --yes` against the site's gateways.
set -euo pipefail
site_conf=$(realpath "${1:?usage: gluon-to-gateway.sh SITE.CONF WORKDIR}")
work=${2:?usage: gluon-to-gateway.sh SITE.CONF WORKDIR}
gwsetup=${GWSETUP:-gwsetup}
live=${GWSETUP_WALKTHROUGH_LIVE:-0}
[ ! -e "$work" ] || { echo "gluon-to-gateway.sh: $work exists" >&2; exit 1; }
mkdir -p "$work" && cd "$work"
step() { printf '== %s\n' "$*"; }

step "1. install: apt-get install ./gwsetup_VERSION_amd64.deb (here: $gwsetup, $("$gwsetup" --version))"

step "2. gluon import: the firmware's site.conf becomes site.yaml; placeholders are listed on stderr"
"$gwsetup" gluon import "$site_conf" --output site.yaml 2>import.log || { cat import.log >&2; exit 1; }
cat import.log

step "3. fill in the placeholders"
# Every answer a site.conf cannot give, on the lines import marked `# PLACEHOLDER`: the admin's login key, the SSH
# port, how gwsetup logs in to each gateway and each gateway's uplink (here: import's guesses, confirmed).
[ -f admin_ed25519 ] || ssh-keygen -q -t ed25519 -N '' -C admin@laptop -f admin_ed25519
admin_key=$(cut -d' ' -f1,2 admin_ed25519.pub)
sed -i \
  -e "s|^  admins: \[\]  # PLACEHOLDER.*|  admins: [{name: admin, keys: [\"$admin_key admin@laptop\"]}]|" \
  -e 's|^\(  ssh_port: [0-9]*\)  # PLACEHOLDER.*|\1|' \
  -e 's|^\(    ssh: [^ ]*\)  # PLACEHOLDER.*|\1|' \
  -e 's|^\(    uplink: [^ ]*\)  # PLACEHOLDER.*|\1|' \
  site.yaml
# New droplets do not hold the old gateways' fastd secrets: without a pinned key, apply makes a new one on each gateway
# and reports it (keeping an old gateway's key instead means naming its secret with fastd_secret_file).
sed -i '/^        fastd_public_key: /d' site.yaml
if grep -n '# PLACEHOLDER' site.yaml; then
  echo "gluon-to-gateway.sh: site.yaml still has the placeholders above" >&2
  exit 1
fi
gateways=$(sed -n 's/^  - name: \([A-Za-z0-9_.-]*\).*/\1/p' site.yaml)
domains=$(sed -n 's/^  - code: \([A-Za-z0-9_.-]*\).*/\1/p' site.yaml)

step "4. plan"
if [ "$live" = 1 ]; then "$gwsetup" plan --site site.yaml; else "$gwsetup" plan --offline --site site.yaml; fi

step "5. apply"
if [ "$live" = 1 ]; then
  "$gwsetup" apply --yes --site site.yaml | tee apply.log
else
  : >apply.log
  for gateway in $gateways; do
    "$gwsetup" render --site site.yaml --gateway "$gateway" --output "render/$gateway" >/dev/null
    for domain in $domains; do
      secret=$(fastd --generate-key --machine-readable)
      public=$(printf 'secret "%s";\n' "$secret" | fastd --config - --show-key --machine-readable)
      echo "fastd public key of $gateway/$domain: $public" >>apply.log
    done
  done
  echo "(offline: rendered $(echo $gateways | wc -w) gateways under render/, keys made locally)"
fi

step "6. collect the reported keys"
sed -n 's|^fastd public key of \([^/ ]*\)/\([^: ]*\): \([0-9a-f]\{64\}\)$|\1 \2 \3|p' apply.log >keys.txt
cut -d' ' -f1,2 keys.txt | sed 's/$/ …/'
[ "$(wc -l <keys.txt)" -eq "$(( $(echo $gateways | wc -w) * $(echo $domains | wc -w) ))" ] \
  || { echo "gluon-to-gateway.sh: apply reported $(wc -l <keys.txt) keys" >&2; exit 1; }

step "7. gluon export: what the firmware must learn, with the new keys"
"$gwsetup" gluon export --site site.yaml --keys keys.txt --output firmware
find firmware -type f | sort

step "8. gluon check: the gateways against the exported firmware, then against the firmware still in the field"
"$gwsetup" gluon check --site site.yaml --keys keys.txt firmware/site.conf
set +e
"$gwsetup" gluon check --site site.yaml --keys keys.txt "$site_conf" >check-old.log 2>&1
old=$?
set -e
echo "the firmware in the field: exit $old ($(grep -c 'key' check-old.log) lines about keys)"
[ "$old" = 2 ] || { cat check-old.log >&2; echo "gluon-to-gateway.sh: the old firmware should disagree on the new keys" >&2; exit 1; }

step "9. build the firmware with Gluon (outside gwsetup): merge firmware/site.conf into the site repository, then"
echo "   make update && make GLUON_TARGET=x86-64 GLUON_RELEASE=… (see Gluon's documentation)"
