#!/usr/bin/env bash
# Sets up a machine to build, test and run Anneal. Idempotent: rerun it any time.
#   1. pnpm (pinned) if missing, then the workspace's dependencies from the lockfile;
#   2. a WebGPU adapter for Dawn: where none is found on Debian/Ubuntu, Mesa's software Vulkan driver
#      (lavapipe) — from bookworm-backports on Debian 12, whose own Mesa 22 is too old for Dawn;
#   3. Chromium for the dashboard's browser tests (Debian's package, driven by playwright-core; no browser
#      downloads), and the dashboard's production build.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=12.21.0
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp}"
say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  say "Node >= 20 is required (found: $(node --version 2>/dev/null || echo none)). Install it, then rerun."
  exit 1
fi

if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  say "installing pnpm $PNPM_VERSION (npm i -g)"
  npm install -g --silent "pnpm@$PNPM_VERSION"
fi

say "installing dependencies (pnpm install --frozen-lockfile)"
pnpm install --frozen-lockfile --reporter=silent

# Dawn prints its own warnings on stdout: the probe's verdict is its last line.
probe() { local out rc; out=$(node packages/kernels/scripts/probe-adapter.mjs 2>&1); rc=$?; adapter=$(printf '%s\n' "$out" | tail -n 1); return $rc; }

if probe; then
  say "WebGPU adapter: $adapter"
else
  . /etc/os-release 2>/dev/null || true
  case "${ID:-}" in
    debian | ubuntu)
      say "no WebGPU adapter: installing Mesa's software Vulkan driver (lavapipe)"
      if [ "${ID}" = debian ] && [ "${VERSION_CODENAME:-}" = bookworm ]; then
        # Debian 12's Mesa 22 lacks features Dawn requires; bookworm-backports has Mesa 25.
        echo "deb http://deb.debian.org/debian bookworm-backports main" |
          as_root tee /etc/apt/sources.list.d/anneal-bookworm-backports.list >/dev/null
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers >/dev/null
      else
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mesa-vulkan-drivers >/dev/null
      fi
      if ! probe; then
        say "still no WebGPU adapter after installing lavapipe: $adapter"
        exit 1
      fi
      say "WebGPU adapter: $adapter"
      ;;
    *)
      say "no WebGPU adapter found. Install your GPU's Vulkan (Linux), Metal (macOS) or D3D12 (Windows) driver,"
      say "or Mesa's software Vulkan driver (lavapipe, Mesa >= 24), then rerun this script."
      exit 1
      ;;
  esac
fi

if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  . /etc/os-release 2>/dev/null || true
  case "${ID:-}" in
    debian | ubuntu)
      say "installing Chromium for the browser tests"
      as_root apt-get update -qq
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
      ;;
    *) say "Chromium not found: the browser tests will be skipped until it is installed (set CHROMIUM=<path>)" ;;
  esac
fi

say "building the dashboard (apps/web)"
NEXT_TELEMETRY_DISABLED=1 pnpm --filter @anneal/web build >/dev/null

say "done. Next: pnpm demo (the main job on the embedded database) or pnpm test (every test)"
