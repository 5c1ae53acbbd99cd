#!/usr/bin/env bash
# Benchmarks SampleApi's tracing, JIT and Native AOT side by side: cost, delivery, collector outages,
# replacement, load, SIGTERM, start-up (see docs/benchmarks/).
#   bench/run.sh            full run (~20 min), writes docs/benchmarks/results.{md,svg,json} and README.md's targets
#   bench/run.sh --quick    short run (~7 min), writes bench/out/
# Other options go to the driver, e.g. --only cost,delivery,replacement,load,sigterm,startup or --server-env DOTNET_gcServer=0.
set -euo pipefail
cd "$(dirname "$0")/.."

# wrk drives the load; clang links the Native AOT binary. Each is installed with apt if missing
# (the Debian package has the command's name).
for tool in wrk clang; do
  if ! command -v "$tool" >/dev/null; then
    echo "Installing $tool (apt)..."
    sudo_if_needed=$([ "$(id -u)" -eq 0 ] || echo sudo)
    $sudo_if_needed apt-get update -qq
    $sudo_if_needed apt-get install -y -qq "$tool"
  fi
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
for project in bench/OtlpSink bench/BenchDriver; do
  dotnet build "$project" -c Release --nologo -v quiet -clp:NoSummary
done
# The JIT variants run what the JIT image holds: SampleApi published for linux-x64 with -p:PublishAot=false,
# as the deploy guide publishes it (a `dotnet build` would keep the PublishAot=true feature switches).
dotnet publish SampleApi -c Release -r linux-x64 --self-contained false -p:PublishAot=false \
  -o SampleApi/bin/Release/net10.0/linux-x64/publish-jit --nologo -v quiet -clp:NoSummary
# The AOT variants run the Native AOT binary (the image one flag away in the deploy guide) (a minute or more when the source changed).
dotnet publish SampleApi -c Release -r linux-x64 --nologo -v quiet -clp:NoSummary

dotnet bench/BenchDriver/bin/Release/net10.0/BenchDriver.dll --repo "$PWD" "$@"
