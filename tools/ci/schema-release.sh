#!/usr/bin/env bash
# The schema CI recipe (docs/release.md).
#   pr       on a pull request: lint + compatibility of what the change touches (Nx affected, cached)
#   release  after the merge: register the changed schemas, then publish the changed event packages
# Extra arguments go to both release commands, e.g. `release --dry-run`. Configuration comes from the
# environment only (AVRO_GOV_REGISTRY_URL, AVRO_GOV_REGISTRY_AUTH or _TOKEN, AVRO_GOV_NPM_REGISTRY,
# AVRO_GOV_NPM_TOKEN or AVRO_GOV_NPM_USERCONFIG; optional SCHEMA_DIR, SCHEMA_MANIFEST, EVENT_PACKAGE_NAME).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:$PATH"

usage() {
  echo "usage: tools/ci/schema-release.sh pr|release [--dry-run]" >&2
  exit 2
}

step=${1:-}
[ $# -gt 0 ] && shift

case "$step" in
  pr)
    # NX_BASE / NX_HEAD as CI systems set them; default: what this branch adds to main.
    base=${NX_BASE:-$(git merge-base HEAD origin/main 2>/dev/null || git merge-base HEAD main)}
    nx affected -t avro-lint avro-compat --base="$base" --head="${NX_HEAD:-HEAD}" --outputStyle=static
    ;;
  release)
    : "${AVRO_GOV_REGISTRY_URL:?set AVRO_GOV_REGISTRY_URL (and AVRO_GOV_REGISTRY_AUTH or AVRO_GOV_REGISTRY_TOKEN)}"
    if [ -z "${AVRO_GOV_NPM_REGISTRY:-}" ] && [ -z "${AVRO_GOV_NPM_USERCONFIG:-}" ]; then
      echo "set AVRO_GOV_NPM_REGISTRY (and AVRO_GOV_NPM_TOKEN) or AVRO_GOV_NPM_USERCONFIG" >&2
      exit 2
    fi
    schemas=${SCHEMA_DIR:-schemas}
    # Register first: a package is published only for schemas the registry has accepted.
    avro-gov register --schemas "$schemas" --manifest "${SCHEMA_MANIFEST:-dist/schema-manifest.json}" "$@"
    avro-gov publish --schemas "$schemas" --package-name "${EVENT_PACKAGE_NAME:-@acme/events-{segment}}" "$@"
    ;;
  *)
    usage
    ;;
esac
