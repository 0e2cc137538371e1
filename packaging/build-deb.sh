#!/usr/bin/env bash
# Builds gwsetup_VERSION_amd64.deb from this checkout: a release build with the Swift runtime linked statically,
# the Templates, the example sites, a man page per subcommand (argument-parser's GenerateManual plugin) and the
# bash, zsh and fish completions, laid out as Debian policy wants and packed by dpkg-deb.
#
#   packaging/build-deb.sh [--scratch-path DIR] [--output DIR] [VERSION]
#   packaging/build-deb.sh --print-version
#
# VERSION, when given, must be the one in Sources/GatewayKit/GatewayKit.swift (the only source of the version:
# `gwsetup --version` prints it too). The build goes to --scratch-path (default .build-deb) so it never touches
# the debug build in .build; the package goes to --output (default out/). Prints the package's path last.
set -euo pipefail
cd "$(dirname "$0")/.."
repository=$PWD

# The one place the version is written; GatewayKit.version is what `gwsetup --version` prints.
version_file=Sources/GatewayKit/GatewayKit.swift
source_version=$(sed -n 's/^    public static let version = "\([0-9][0-9A-Za-z.+~]*\)"$/\1/p' "$version_file")
[ -n "$source_version" ] || { echo "build-deb.sh: no 'public static let version = \"…\"' line in $version_file" >&2; exit 1; }

scratch=.build-deb
output=out
requested=
while [ $# -gt 0 ]; do
  case "$1" in
    --print-version) echo "$source_version"; exit 0 ;;
    --scratch-path) scratch=${2:?--scratch-path needs a folder}; shift 2 ;;
    --output) output=${2:?--output needs a folder}; shift 2 ;;
    -*) echo "build-deb.sh: unknown option $1" >&2; exit 1 ;;
    *) requested=$1; shift ;;
  esac
done
if [ -n "$requested" ] && [ "$requested" != "$source_version" ]; then
  echo "build-deb.sh: version $requested is not the source's $source_version ($version_file); change it there" >&2
  exit 1
fi
version=$source_version
package=gwsetup
architecture=amd64
maintainer="gwsetup maintainers <maintainers@users.noreply.r-seed-c206c343.example>"
# Every date in the package is the last commit's, so two builds of one commit give the same files.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
step() { printf 'build-deb.sh: %s (%s s)\n' "$1" "$SECONDS"; }

# The manual pages come from the argument-parser definitions, which are the same in every build configuration,
# so the GenerateManual plugin reads them from the debug build in .build (the one `swift build` and the tests
# make) instead of compiling the whole package in release mode a second time.
step "man pages (GenerateManual plugin, from the debug build)"
mkdir -p "$scratch"
swift package plugin generate-manual --configuration debug --multi-page \
  --date "$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)" --authors "$maintainer" >"$scratch/build-deb-plugin.log" 2>&1 \
  || { tail -20 "$scratch/build-deb-plugin.log" >&2; exit 1; }
manuals=.build/plugins/GenerateManual/outputs/gwsetup
[ -s "$manuals/gwsetup.1" ] || { echo "build-deb.sh: the GenerateManual plugin wrote no $manuals/gwsetup.1" >&2; exit 1; }

# The agent daemon ships when the package defines it (apply copies it to gateways from /usr/lib/gwsetup).
products=(gwsetup)
if swift package --scratch-path "$scratch" dump-package \
    | python3 -c 'import json, sys; sys.exit(0 if any(p["name"] == "gwsetup-agent" for p in json.load(sys.stdin)["products"]) else 1)'; then
  products+=(gwsetup-agent)
else
  echo "build-deb.sh: no gwsetup-agent product in Package.swift; the package has no agent"
fi

step "release build with the Swift runtime linked statically (${products[*]})"
# No $ORIGIN run path: nothing is loaded from beside the binary, and lintian rejects a custom library search path.
for product in "${products[@]}"; do
  swift build --scratch-path "$scratch" -c release --static-swift-stdlib --disable-local-rpath --product "$product" >"$scratch/build-deb-build.log" 2>&1 \
    || { tail -20 "$scratch/build-deb-build.log" >&2; exit 1; }
done
bin=$(swift build --scratch-path "$scratch" -c release --static-swift-stdlib --disable-local-rpath --show-bin-path)
for product in "${products[@]}"; do
  if ldd "$bin/$product" | grep -q 'libswift\|libFoundation\|libdispatch'; then
    echo "build-deb.sh: $bin/$product still loads the Swift runtime from the toolchain:" >&2
    ldd "$bin/$product" | grep 'libswift\|libFoundation\|libdispatch' >&2
    exit 1
  fi
done

step "laying out the package"
stage=$(mktemp -d "${TMPDIR:-/tmp}/gwsetup-deb.XXXXXX")
trap 'rm -rf "$stage"' EXIT
root=$stage/$package
doc=$root/usr/share/doc/$package
install -d "$root/DEBIAN" "$root/usr/bin" "$doc/examples" "$root/usr/share/gwsetup" "$root/usr/share/man/man1" \
  "$root/usr/share/bash-completion/completions" "$root/usr/share/zsh/vendor-completions" \
  "$root/usr/share/fish/vendor_completions.d" "$root/usr/share/lintian/overrides"
# dh_strip's flags: symbols out, Swift's reflection metadata (sections) kept.
install -m 0755 "$bin/gwsetup" "$root/usr/bin/gwsetup"
strip --remove-section=.comment --remove-section=.note --strip-unneeded "$root/usr/bin/gwsetup"
if [[ " ${products[*]} " == *" gwsetup-agent "* ]]; then
  install -d "$root/usr/lib/gwsetup"
  install -m 0755 "$bin/gwsetup-agent" "$root/usr/lib/gwsetup/gwsetup-agent"
  strip --remove-section=.comment --remove-section=.note --strip-unneeded "$root/usr/lib/gwsetup/gwsetup-agent"
fi

# Templates where the locator looks when no GWSETUP_TEMPLATES is set (../share/gwsetup/Templates from /usr/bin).
cp -R Templates "$root/usr/share/gwsetup/Templates"
for example in site-examples/*.yaml; do install -m 0644 "$example" "$doc/examples/"; done

# A subcommand's page names itself `.Nm "gwsetup plan"`, which whatis (lexgrog) cannot read: the NAME line gets the
# page's own name (gwsetup.plan), and the synopsis keeps the words an admin types.
for page in "$manuals"/*.1; do
  python3 -c '
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
named = re.search(r"^\.Nm \"([^\"]+)\"$", text, re.M)
if named:
    words = named.group(1)
    text = text[:named.start()] + ".Nm " + words.replace(" ", ".") + text[named.end():]
    text = re.sub(r"^\.Nm$", ".Nm \"%s\"" % words, text, flags=re.M)
sys.stdout.write(text)' "$page" | gzip -9n >"$root/usr/share/man/man1/$(basename "$page").gz"
done
# Completion files are sourced, never run: no #! line (lintian: bash-completion-with-hashbang).
"$root/usr/bin/gwsetup" --generate-completion-script bash | sed '1{/^#!/d}' >"$root/usr/share/bash-completion/completions/gwsetup"
"$root/usr/bin/gwsetup" --generate-completion-script zsh >"$root/usr/share/zsh/vendor-completions/_gwsetup"
"$root/usr/bin/gwsetup" --generate-completion-script fish >"$root/usr/share/fish/vendor_completions.d/gwsetup.fish"

install -m 0644 packaging/copyright "$doc/copyright"
# A native package (its version has no Debian revision), so policy names its changelog changelog.gz.
changelog_date=$(date -u -R -d "@$SOURCE_DATE_EPOCH")
{
  printf '%s (%s) bookworm; urgency=medium\n\n' "$package" "$version"
  printf '  * Built from the gwsetup repository at commit %s.\n' "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  printf '    Its git history is the full change log.\n\n'
  printf ' -- %s  %s\n' "$maintainer" "$changelog_date"
} | gzip -9n >"$doc/changelog.gz"

# Each lintian override with the comment that justifies it (lintian prints the comment with the tag).
cat >"$root/usr/share/lintian/overrides/$package" <<'OVERRIDES'
# Yams, the YAML parser gwsetup reads site files with, compiles its own copy of libyaml (CYaml) into the binary, and
# gwsetup calls that copy's event parser directly for line:column positions; the whole binary is linked statically
# so it runs on an admin's machine without Swift, which a dependency on Debian's libyaml-0-2 would not change.
gwsetup: embedded-library libyaml [usr/bin/gwsetup]
# A template of the script apply writes to gateways (/usr/local/lib/gwsetup/gwsetup-firewall); it is read and
# rendered, never run from /usr/share.
gwsetup: script-not-executable [usr/share/gwsetup/Templates/firewall/gwsetup-firewall.sh.mustache]
OVERRIDES
[ -s "$root/usr/share/lintian/overrides/$package" ] || rm -r "$root/usr/share/lintian"

find "$root" -type d -exec chmod 0755 {} +
find "$root/usr/share" -type f -exec chmod 0644 {} +
find "$root" -exec touch --no-dereference -d "@$SOURCE_DATE_EPOCH" {} +

step "control file (dependencies from dpkg-shlibdeps)"
shlibs=$stage/shlibs
install -d "$shlibs/debian"
printf 'Source: %s\n\nPackage: %s\nArchitecture: %s\n' "$package" "$package" "$architecture" >"$shlibs/debian/control"
executables=("$root/usr/bin/gwsetup")
[ -e "$root/usr/lib/gwsetup/gwsetup-agent" ] && executables+=("$root/usr/lib/gwsetup/gwsetup-agent")
depends=$(cd "$shlibs" && dpkg-shlibdeps -O "${executables[@]}" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "build-deb.sh: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
installed_size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<EOF
Package: $package
Version: $version
Architecture: $architecture
Maintainer: $maintainer
Installed-Size: $installed_size
Depends: $depends
Recommends: openssh-client
Section: admin
Priority: optional
Description: declarative setup of Freifunk mesh gateways on Debian
 gwsetup turns one site file into a working, secure Freifunk-style mesh
 gateway on Debian 12: fastd, batman-adv and a client bridge per mesh domain,
 DHCP, router advertisements, a recursive resolver, NTP, a firewall with NAT,
 fail2ban and key-only SSH. It plans every change before it applies it over
 SSH, verifies the live firewall against the site's intents, and imports and
 exports Gluon firmware site files.
EOF
(cd "$root" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"

step "dpkg-deb"
mkdir -p "$output"
deb=$output/${package}_${version}_${architecture}.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
step "built $(du -h "$deb" | cut -f1)"
echo "$deb"
