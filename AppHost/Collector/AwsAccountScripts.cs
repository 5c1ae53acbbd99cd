using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Aspire.Hosting;

/// <summary>
/// The account side of the collector's AWS pipelines as two POSIX shell scripts using the AWS CLI,
/// written from the same settings and policy as the collector: <c>setup-account.sh</c> creates what
/// must exist beforehand (Transaction Search and its CloudWatch Logs resource policy, the log groups
/// and streams), and <c>check.sh</c> names whatever is missing, including a role permission.
/// </summary>
internal static class AwsAccountScripts
{
    public const string SetupFileName = "setup-account.sh";
    public const string CheckFileName = "check.sh";

    /// <summary>The log group Transaction Search stores spans in, and the one Application Signals uses beside it.</summary>
    public const string SpansLogGroup = "aws/spans";
    public const string ApplicationSignalsLogGroup = "/aws/application-signals/data";

    /// <summary>The resource policy's name, as AWS's Transaction Search guide calls it.</summary>
    public const string TransactionSearchPolicyName = "TransactionSearchAccess";

    /// <summary>How far back the data checks look (seconds).</summary>
    private const int RecentSeconds = 900;

    /// <summary>
    /// Creates what the pipelines need in the account; safe to run again: the resource policy is put by
    /// name (a second put replaces it), and Transaction Search, log groups and streams are created only
    /// when a read says they are missing.
    /// </summary>
    public static string Setup(AwsScope scope, string header)
    {
        var script = Begin(header, scope, "set -eu");
        if (scope.Settings.TraceExport == TraceExport.Otlp)
        {
            script.AppendLine("# Transaction Search: X-Ray may write spans into CloudWatch Logs, then sends them there.");
            script.AppendLine(CultureInfo.InvariantCulture, $"aws logs put-resource-policy --region \"$REGION\" --policy-name {TransactionSearchPolicyName} --policy-document '{TransactionSearchPolicy(scope)}'");
            // Asked first, so a second run never sends an update for a destination that is already set
            // (the API page does not say how that call answers; under set -e any error would end the script).
            script.AppendLine("""
                if [ "$(aws xray get-trace-segment-destination --region "$REGION" --query Destination --output text)" = CloudWatchLogs ]; then
                  echo "Transaction Search is already on (destination CloudWatchLogs)"
                else
                  aws xray update-trace-segment-destination --region "$REGION" --destination CloudWatchLogs
                fi
                """);
            script.AppendLine();
        }

        script.AppendLine("# The log groups and streams the collector writes to (it creates none itself).");
        script.AppendLine("""
            ensure_stream() {
              if [ "$(aws logs describe-log-groups --region "$REGION" --log-group-name-prefix "$1" --query "length(logGroups[?logGroupName=='$1'])" --output text)" != 1 ]; then
                aws logs create-log-group --region "$REGION" --log-group-name "$1"
              fi
              if [ "$(aws logs describe-log-streams --region "$REGION" --log-group-name "$1" --log-stream-name-prefix "$2" --query "length(logStreams[?logStreamName=='$2'])" --output text)" != 1 ]; then
                aws logs create-log-stream --region "$REGION" --log-group-name "$1" --log-stream-name "$2"
              fi
              echo "log stream $1 / $2 is there"
            }
            """);
        foreach (var (group, stream) in Streams(scope.Settings))
        {
            script.AppendLine(CultureInfo.InvariantCulture, $"ensure_stream {Quote(group)} {Quote(stream)}");
        }

        return script.ToString();
    }

    /// <summary>The arguments <c>check.sh</c> takes: which route's role it checks (none: the collector's, through IRSA).</summary>
    public const string PodIdentityArgument = "pod-identity";
    public const string DirectArgument = "direct";
    public const string DirectPodIdentityArgument = DirectArgument + "-" + PodIdentityArgument;

    /// <summary>Checks the account and the role of the route given as argument; prints one line per check and exits 1 when anything is missing.</summary>
    /// <remarks>
    /// Without argument it checks the collector's IRSA role; <c>pod-identity</c> finds the role of the collector's
    /// Pod Identity association instead; <c>direct</c> and <c>direct-pod-identity</c> do the same for the projects'
    /// role on the direct route, which has no collector. Anything else is a usage error (exit 2). The role is
    /// simulated for its <see cref="CheckedRole.Actions"/>, what AWS documents for the route's endpoints
    /// (<see cref="AwsDocumentedActions"/>), not for the ones its policy grants, so an action the policy misses
    /// shows as missing.
    /// </remarks>
    public static string Check(AwsScope scope, string clusterName, string @namespace, CheckedRole collector, CheckedRole direct, string setupPath, string header)
    {
        ArgumentNullException.ThrowIfNull(collector);
        ArgumentNullException.ThrowIfNull(direct);
        (string Route, string Arguments, CheckedRole Role)[] routes =
        [
            ("collector", $"''|{PodIdentityArgument}", collector),
            (DirectArgument, $"{DirectArgument}|{DirectPodIdentityArgument}", direct),
        ];
        // An action every route's role needs is checked on any route; one that only a route's role needs, on that route only.
        var grants = routes.SelectMany(route => route.Role.Actions).Distinct()
            .Select(grant => (Grant: grant, Routes: routes.Where(route => route.Role.Actions.Contains(grant)).Select(route => route.Route).ToList()))
            .ToList();
        var routeSpecific = grants.Any(grant => grant.Routes.Count < routes.Length);

        var script = Begin(header, scope, "set -u");
        script.AppendLine("case \"${1:-}\" in");
        foreach (var (route, arguments, role) in routes)
        {
            script.AppendLine(CultureInfo.InvariantCulture, $"  {arguments})");
            if (routeSpecific)
            {
                script.AppendLine(CultureInfo.InvariantCulture, $"    ROUTE={route}");
            }

            script.AppendLine(CultureInfo.InvariantCulture, $"""
                    ROLE_NAME={Quote(role.Name)}
                    ROLE_ARN={Quote(role.Arn)}
                    ROLE_FIX={Quote(IrsaFix(role.IrsaConfig))}
                    POD_IDENTITY_FIX={Quote(PodIdentityFix(role.PodIdentityConfig))}
                    SERVICE_ACCOUNT={Quote(role.ServiceAccount)}
                    EXPORT_LOG={Quote(role.ExportLog)} ;;
                """);
        }

        script.AppendLine(CultureInfo.InvariantCulture, $$"""
              *) echo "unknown argument: $1" >&2
                 echo "usage: sh $0 [{{PodIdentityArgument}} | {{DirectArgument}} | {{DirectPodIdentityArgument}}]: the collector's role (routes 1 and 2) through IRSA (no argument) or EKS Pod Identity, or route 3's ({{direct.ServiceAccount}}, no collector) through either" >&2
                 exit 2 ;;
            esac
            """);
        script.AppendLine(CultureInfo.InvariantCulture, $"SINCE=$(( $(date +%s) - {RecentSeconds} ))");
        script.AppendLine("""
            missing=0
            ok() { printf 'ok       %s\n' "$1"; }
            miss() { printf 'MISSING  %s\n         fix: %s\n' "$1" "$2"; missing=$((missing + 1)); }
            # may ACTION RESOURCE: asks IAM's policy simulator whether the role may do it.
            may() {
              decision=$(aws iam simulate-principal-policy --policy-source-arn "$ROLE_ARN" --action-names "$1" --resource-arns "$2" --query 'EvaluationResults[0].EvalDecision' --output text 2>/dev/null)
              if [ "$decision" = allowed ]; then ok "role may $1 on $2"; else miss "permission $1 on $2 for $ROLE_NAME (simulation: ${decision:-failed})" "$ROLE_FIX"; fi
            }

            account=$(aws sts get-caller-identity --query Account --output text 2>/dev/null) || {
              echo "MISSING  AWS credentials: 'aws sts get-caller-identity' failed. Sign in (aws configure, or aws sso login) and run again."
              exit 1
            }
            if [ "$account" = "$ACCOUNT" ]; then ok "credentials for account $ACCOUNT"; else miss "credentials for account $ACCOUNT (these are for $account)" "run with a profile of account $ACCOUNT: AWS_PROFILE=name sh $0 ${1:-}"; fi

            """);
        script.AppendLine(CultureInfo.InvariantCulture, $$"""
            case "${1:-}" in *{{PodIdentityArgument}})
              ROLE_FIX=$POD_IDENTITY_FIX
              association=$(aws eks list-pod-identity-associations --region "$REGION" --cluster-name {{Quote(clusterName)}} --namespace {{Quote(@namespace)}} --service-account "$SERVICE_ACCOUNT" --query 'associations[0].associationId' --output text 2>/dev/null)
              ROLE_ARN=$(aws eks describe-pod-identity-association --region "$REGION" --cluster-name {{Quote(clusterName)}} --association-id "$association" --query 'association.roleArn' --output text 2>/dev/null)
              if [ -n "$ROLE_ARN" ] && [ "$ROLE_ARN" != None ]; then ok "Pod Identity association for {{@namespace}}/$SERVICE_ACCOUNT"; else miss "a Pod Identity association for {{@namespace}}/$SERVICE_ACCOUNT" "$ROLE_FIX"; ROLE_ARN=none; fi
              ROLE_NAME=${ROLE_ARN##*/}
            esac

            """);

        if (scope.Settings.TraceExport == TraceExport.Otlp)
        {
            script.AppendLine(CultureInfo.InvariantCulture, $$"""
                destination=$(aws xray get-trace-segment-destination --region "$REGION" --query '[Destination,Status]' --output text 2>/dev/null | tr -s '\t ' '  ')
                if [ "$destination" = "CloudWatchLogs ACTIVE" ]; then ok "Transaction Search (spans go to CloudWatch Logs)"; else miss "Transaction Search: the trace segment destination is '${destination:-unknown}', not 'CloudWatchLogs ACTIVE'" "sh {{setupPath}} (or wait a few minutes while it is PENDING)"; fi
                policies=$(aws logs describe-resource-policies --region "$REGION" --query "resourcePolicies[?contains(policyDocument, 'xray.amazonaws.com')].policyName" --output text 2>/dev/null)
                if [ -n "$policies" ] && [ "$policies" != None ]; then ok "CloudWatch Logs resource policy for X-Ray ($policies)"; else miss "a CloudWatch Logs resource policy that lets X-Ray write to {{SpansLogGroup}}" "sh {{setupPath}}"; fi

                """);
        }

        foreach (var (group, stream) in Streams(scope.Settings))
        {
            script.AppendLine(CultureInfo.InvariantCulture, $$"""
                count=$(aws logs describe-log-streams --region "$REGION" --log-group-name {{Quote(group)}} --log-stream-name-prefix {{Quote(stream)}} --query "length(logStreams[?logStreamName=='{{stream}}'])" --output text 2>/dev/null)
                if [ "$count" = 1 ]; then ok "log stream {{group}} / {{stream}}"; else miss "log stream {{stream}} in log group {{group}}" "sh {{setupPath}}"; fi
                """);
        }

        script.AppendLine(CultureInfo.InvariantCulture, $$"""

            if aws iam get-role --role-name "$ROLE_NAME" >/dev/null 2>&1; then ok "IAM role $ROLE_NAME"; else miss "IAM role $ROLE_NAME" "$ROLE_FIX"; fi
            """);
        foreach (var (grant, needing) in grants)
        {
            var guard = needing.Count == routes.Length ? "" : $"[ \"$ROUTE\" = {needing.Single()} ] && ";
            script.AppendLine(CultureInfo.InvariantCulture, $"{guard}may {grant.Action} {Quote(grant.Resource)}");
        }

        script.AppendLine(CultureInfo.InvariantCulture, $$"""

            # What arrived in the last {{RecentSeconds / 60}} minutes: call /sample first, and allow a minute for delivery.
            """);
        script.AppendLine(scope.Settings.TraceExport == TraceExport.Otlp
            ? string.Create(CultureInfo.InvariantCulture, $$"""
                spans=$(aws logs filter-log-events --region "$REGION" --log-group-name {{SpansLogGroup}} --start-time $((SINCE * 1000)) --filter-pattern '"sample3"' --max-items 1 --query 'length(events)' --output text 2>/dev/null)
                if [ "${spans:-0}" != 0 ] && [ "$spans" != None ]; then ok "spans of GET /sample in {{SpansLogGroup}}"; else miss "no span of GET /sample in {{SpansLogGroup}} since $(date -d "@$SINCE" 2>/dev/null || echo "$SINCE")" "call /sample, wait a minute, and look for export errors in $EXPORT_LOG"; fi
                """)
            : """
                traces=$(aws xray get-trace-summaries --region "$REGION" --start-time "$SINCE" --end-time "$(date +%s)" --query 'length(TraceSummaries)' --output text 2>/dev/null)
                if [ "${traces:-0}" != 0 ] && [ "$traces" != None ]; then ok "traces in X-Ray"; else miss "no trace in X-Ray in the last minutes" "call /sample, wait a minute, and look for export errors in $EXPORT_LOG"; fi
                """);
        script.AppendLine(CultureInfo.InvariantCulture, $$"""
            lines=$(aws logs filter-log-events --region "$REGION" --log-group-name {{Quote(scope.Settings.LogGroup)}} --start-time $((SINCE * 1000)) --filter-pattern '"sample3 done."' --max-items 1 --query 'length(events)' --output text 2>/dev/null)
            if [ "${lines:-0}" != 0 ] && [ "$lines" != None ]; then ok "'sample3 done.' in {{scope.Settings.LogGroup}}"; else miss "no 'sample3 done.' log line in {{scope.Settings.LogGroup}}" "call /sample, wait a minute, and look for export errors in $EXPORT_LOG"; fi
            """);
        if (scope.Settings.MetricsExport == MetricsExport.Emf)
        {
            // OTLP metrics are queried with PromQL (Query Studio; the guide shows the query): this script reads no metric data for them.
            script.AppendLine(CultureInfo.InvariantCulture, $$"""
                metrics=$(aws cloudwatch list-metrics --region "$REGION" --namespace {{Quote(scope.Settings.MetricsNamespace)}} --metric-name http.server.request.duration --query 'length(Metrics)' --output text 2>/dev/null)
                if [ "${metrics:-0}" != 0 ] && [ "$metrics" != None ]; then ok "metric http.server.request.duration in namespace {{scope.Settings.MetricsNamespace}}"; else miss "no metric http.server.request.duration in namespace {{scope.Settings.MetricsNamespace}}" "call /sample, wait a few minutes (EMF metrics appear after their first minute)"; fi
                """);
        }

        script.AppendLine("""

            if [ "$missing" -gt 0 ]; then echo "$missing missing."; exit 1; fi
            echo "Everything is in place."
            """);
        return script.ToString();
    }

    /// <summary>The CloudWatch Logs resource policy Transaction Search needs: X-Ray may put spans into its two log groups, for this account only.</summary>
    public static string TransactionSearchPolicy(AwsScope scope)
    {
        var partition = AwsRegion.Partition(scope.Region);
        string LogGroupArn(string group) => $"arn:{partition}:logs:{scope.Region}:{scope.AccountId}:log-group:{group}:*";
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new[]
            {
                new Dictionary<string, object>
                {
                    ["Sid"] = "TransactionSearchXRayAccess",
                    ["Effect"] = "Allow",
                    ["Principal"] = new Dictionary<string, string> { ["Service"] = "xray.amazonaws.com" },
                    ["Action"] = "logs:PutLogEvents",
                    ["Resource"] = new[] { LogGroupArn(SpansLogGroup), LogGroupArn(ApplicationSignalsLogGroup) },
                    ["Condition"] = new Dictionary<string, object>
                    {
                        ["ArnLike"] = new Dictionary<string, string> { ["aws:SourceArn"] = $"arn:{partition}:xray:{scope.Region}:{scope.AccountId}:*" },
                        ["StringEquals"] = new Dictionary<string, string> { ["aws:SourceAccount"] = scope.AccountId },
                    },
                },
            },
        });
    }

    /// <summary>The log streams the collector writes to: log records', and EMF's when metrics go that way.</summary>
    private static IEnumerable<(string Group, string Stream)> Streams(AwsTelemetrySettings settings) =>
        settings.MetricsExport == MetricsExport.Emf
            ? [(settings.LogGroup, settings.LogStream), (settings.MetricsLogGroup, settings.MetricsLogStream)]
            : [(settings.LogGroup, settings.LogStream)];

    private static StringBuilder Begin(string header, AwsScope scope, string shellOptions)
    {
        var script = new StringBuilder();
        script.AppendLine("#!/bin/sh");
        script.Append(header);
        script.AppendLine(shellOptions);
        script.AppendLine(CultureInfo.InvariantCulture, $"REGION={Quote(scope.Region)}");
        script.AppendLine(CultureInfo.InvariantCulture, $"ACCOUNT={Quote(scope.AccountId)}");
        script.AppendLine();
        return script;
    }

    /// <summary>The eksctl commands that create a role for IRSA, or a Pod Identity association and its role, from their config file (and update them).</summary>
    private static string IrsaFix(string config) =>
        $"eksctl create iamserviceaccount --config-file {config} --approve (if the role exists: eksctl update iamserviceaccount --config-file {config} --approve)";

    private static string PodIdentityFix(string config) =>
        $"eksctl create podidentityassociation --config-file {config} (if it exists: eksctl update podidentityassociation --config-file {config})";

    /// <summary>Single-quoted for the shell, a single quote inside closing the quotes, escaped, and opening them again.</summary>
    private static string Quote(string value) => $"'{value.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}

/// <summary>A route's IAM role as the check script looks for it: the role, where it comes from, what it must be allowed.</summary>
/// <param name="Name">The IRSA role's name.</param>
/// <param name="Arn">The IRSA role's ARN.</param>
/// <param name="ServiceAccount">The service account the role is for (IRSA's trust, or the Pod Identity association).</param>
/// <param name="IrsaConfig">The eksctl file that creates the IRSA role, as a path from the repository root.</param>
/// <param name="PodIdentityConfig">The eksctl file that creates the Pod Identity association and its role.</param>
/// <param name="Actions">What the role must be allowed: what AWS documents for the endpoints it sends to.</param>
/// <param name="ExportLog">Where export errors show, as the hints name it.</param>
internal sealed record CheckedRole(string Name, string Arn, string ServiceAccount, string IrsaConfig, string PodIdentityConfig, IReadOnlyList<IamGrant> Actions, string ExportLog);
