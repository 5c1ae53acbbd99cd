using TestSupport;

namespace AppHost.Tests.Collector;

/// <summary>
/// A test double for the AWS CLI (no AWS here): an <c>aws</c> shell script first on PATH that answers
/// each command the account scripts run from <see cref="State"/>, and records every call. Asked to set
/// the trace segment destination it already has, it fails as an AWS API error does (exit 254, message
/// on stderr): the API page lists InvalidRequestException but not this case, so the double assumes the worst.
/// </summary>
internal sealed class FakeAwsCli : IDisposable
{
    private const string Script = """
        #!/bin/sh
        printf '%s\n' "$*" >> "$FAKE_LOG"
        value() { want=$1; shift; prev=; for a in "$@"; do if [ "$prev" = "$want" ]; then printf '%s' "$a"; return; fi; prev=$a; done; }
        case "$1 $2" in
          "sts get-caller-identity") echo "$FAKE_ACCOUNT" ;;
          "xray get-trace-segment-destination") case "$*" in *"--query Destination "*) printf '%s\n' "$FAKE_DESTINATION" | cut -f1 ;; *) printf '%s\n' "$FAKE_DESTINATION" ;; esac ;;
          "xray update-trace-segment-destination") case "$FAKE_DESTINATION" in CloudWatchLogs*)
              echo "An error occurred (InvalidRequestException) when calling the UpdateTraceSegmentDestination operation: destination is already CloudWatchLogs" >&2; exit 254 ;;
            esac; echo '{"Destination": "CloudWatchLogs", "Status": "PENDING"}' ;;
          "logs describe-resource-policies") echo "$FAKE_POLICY" ;;
          "logs put-resource-policy") printf '%s\n' "$(value --policy-document "$@")" > "$FAKE_LOG.policy" ;;
          "logs describe-log-groups") g=$(value --log-group-name-prefix "$@"); case " $FAKE_STREAMS " in *" $g|"*) echo 1 ;; *) echo 0 ;; esac ;;
          "logs describe-log-streams") g=$(value --log-group-name "$@"); s=$(value --log-stream-name-prefix "$@")
            case " $FAKE_STREAMS " in *" $g|$s "*) echo 1 ;; *" $g|"*) echo 0 ;; *) echo "An error occurred (ResourceNotFoundException)" >&2; exit 254 ;; esac ;;
          "logs create-log-group"|"logs create-log-stream") ;;
          "eks list-pod-identity-associations") echo a-1234 ;;
          "eks describe-pod-identity-association") echo "$FAKE_ASSOCIATION_ROLE" ;;
          "iam get-role") [ "$FAKE_ROLE" = 1 ] || exit 254 ;;
          "iam simulate-principal-policy") a=$(value --action-names "$@"); case " $FAKE_DENIED " in *" $a "*) echo implicitDeny ;; *) echo allowed ;; esac ;;
          "logs filter-log-events"|"xray get-trace-summaries"|"cloudwatch list-metrics") echo "$FAKE_DATA" ;;
          *) echo "fake aws: unexpected command: $*" >&2; exit 2 ;;
        esac
        """;

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("fake-aws-");

    public FakeAwsCli()
    {
        var aws = Path.Combine(_folder.FullName, "aws");
        File.WriteAllText(aws, Script.ReplaceLineEndings("\n") + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(aws, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>What the account looks like; every key is a FAKE_* variable of the script above.</summary>
    public Dictionary<string, string> State { get; } = new()
    {
        ["FAKE_ACCOUNT"] = "123456789012",
        ["FAKE_DESTINATION"] = "CloudWatchLogs\tACTIVE",
        ["FAKE_POLICY"] = "TransactionSearchAccess",
        ["FAKE_STREAMS"] = "/aspire-xray/logs|otlp /aspire-xray/metrics|emf",
        ["FAKE_ROLE"] = "1",
        ["FAKE_ASSOCIATION_ROLE"] = "arn:aws:iam::123456789012:role/pod-identity-role",
        ["FAKE_DENIED"] = "",
        ["FAKE_DATA"] = "1",
    };

    private string LogPath => Path.Combine(_folder.FullName, "calls.log");

    /// <summary>Every command line the scripts ran, in order.</summary>
    public IReadOnlyList<string> Calls => File.Exists(LogPath) ? File.ReadAllLines(LogPath) : [];

    /// <summary>The last policy document given to <c>put-resource-policy</c>, or null.</summary>
    public string? PutPolicy => File.Exists(LogPath + ".policy") ? File.ReadAllText(LogPath + ".policy").Trim() : null;

    /// <summary>Runs <paramref name="script"/> with <c>sh</c>, its <paramref name="arguments"/>, and this fake first on PATH.</summary>
    public async Task<(int ExitCode, string Output)> RunAsync(string script, params string[] arguments)
    {
        var path = Path.Combine(_folder.FullName, "script.sh");
        await File.WriteAllTextAsync(path, script);
        var environment = new Dictionary<string, string?>(State.Select(pair => new KeyValuePair<string, string?>(pair.Key, pair.Value)))
        {
            ["PATH"] = $"{_folder.FullName}{Path.PathSeparator}{Environment.GetEnvironmentVariable("PATH")}",
            ["FAKE_LOG"] = LogPath,
        };
        return await ChildProcess.RunAsync("sh", [path, .. arguments], Environment.CurrentDirectory, environment);
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
