#!/bin/sh
# Writes the access list of the staff-only locations (console, API, metrics, health) from
# OFFICE_CIDRS, a comma- or space-separated list of the office networks' CIDRs, e.g.
#   OFFICE_CIDRS="10.20.0.0/16, 192.168.8.0/24"
# The nginx image runs this from /docker-entrypoint.d/ before nginx starts; it also runs
# outside containers (OFFICE_ACL_FILE names the file to write).
set -eu

out=${OFFICE_ACL_FILE:-/etc/nginx/snippets/office-only.conf}
cidrs=$(printf '%s' "${OFFICE_CIDRS:-}" | tr ',' ' ')
if [ -z "$(printf '%s' "$cidrs" | tr -d ' ')" ]; then
    echo "$0: OFFICE_CIDRS is empty: the console would be closed to everyone" >&2
    exit 1
fi

mkdir -p "$(dirname "$out")"
tmp="$out.tmp"
echo "# Written by 40-office-cidr.sh from OFFICE_CIDRS; do not edit." >"$tmp"
# The container's own health check.
echo "allow 127.0.0.1;" >>"$tmp"
for cidr in $cidrs; do
    # IPv4 or IPv6 address with an optional prefix length: refuse anything else, since a
    # typo here would either lock staff out or open the console.
    if ! printf '%s' "$cidr" | grep -Eq '^([0-9]{1,3}(\.[0-9]{1,3}){3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*)(/[0-9]{1,3})?$'; then
        echo "$0: not a CIDR in OFFICE_CIDRS: $cidr" >&2
        rm -f "$tmp"
        exit 1
    fi
    echo "allow $cidr;" >>"$tmp"
done
echo "deny all;" >>"$tmp"
mv "$tmp" "$out"
echo "$0: staff-only locations open to: $cidrs" >&2
