#!/usr/bin/env bash
# Print the path of a working Python X.Y interpreter (pyenv shims may exist but refuse to run).
# Usage: devtools/find-python.sh 3.10
set -u
want=$1
for candidate in "python$want" /root/.pyenv/versions/"$want".*/bin/python"$want" \
                 /usr/local/bin/python"$want" /usr/bin/python"$want"; do
    path=$(command -v "$candidate" 2>/dev/null) || continue
    if "$path" -c "import sys; sys.exit(sys.version_info[:2] != tuple(map(int, '$want'.split('.'))))" \
        >/dev/null 2>&1; then
        echo "$path"
        exit 0
    fi
done
exit 1
