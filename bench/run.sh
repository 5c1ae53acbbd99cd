#!/usr/bin/env bash
# Benchmarks SampleApi's tracing: cost, delivery, collector outages, replacement, load, SIGTERM (see docs/benchmarks/).
#   bench/run.sh            full run (~20 min), writes docs/benchmarks/results.{md,svg,json} and README.md's targets
#   bench/run.sh --quick    short run (~6 min), writes bench/out/
# Other options go to the driver, e.g. --only cost,delivery,replacement,load,sigterm or --server-env DOTNET_gcServer=0.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null; then
  echo "Installing wrk (apt)..."
  sudo_if_needed=$([ "$(id -u)" -eq 0 ] || echo sudo)
  $sudo_if_needed apt-get update -qq
  $sudo_if_needed apt-get install -y -qq wrk
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
for project in SampleApi bench/OtlpSink bench/BenchDriver; do
  dotnet build "$project" -c Release --nologo -v quiet -clp:NoSummary
done

dotnet bench/BenchDriver/bin/Release/net10.0/BenchDriver.dll --repo "$PWD" "$@"
