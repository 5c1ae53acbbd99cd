#!/bin/sh
# Generated from the AppHost by `dotnet run --project AppHost -- --operation publish --step eks-manifests --output-path ../manifests`; change AppHost/appsettings.json (Eks) or the AppHost instead.
set -u
REGION='us-west-2'
ACCOUNT='123456789012'

case "${1:-}" in
  ''|pod-identity)
    ROLE_NAME='aspire-xray-adot-collector'
    ROLE_ARN='arn:aws:iam::123456789012:role/aspire-xray-adot-collector'
    ROLE_FIX='eksctl create iamserviceaccount --config-file manifests/aws/cluster.yaml --approve (if the role exists: eksctl update iamserviceaccount --config-file manifests/aws/cluster.yaml --approve)'
    POD_IDENTITY_FIX='eksctl create podidentityassociation --config-file manifests/aws/pod-identity.yaml (if it exists: eksctl update podidentityassociation --config-file manifests/aws/pod-identity.yaml)'
    SERVICE_ACCOUNT='collector'
    EXPORT_LOG='the collector'\''s log' ;;
  direct|direct-pod-identity)
    ROLE_NAME='aspire-xray-sampleapi'
    ROLE_ARN='arn:aws:iam::123456789012:role/aspire-xray-sampleapi'
    ROLE_FIX='eksctl create iamserviceaccount --config-file manifests/aws/direct-irsa.yaml --approve (if the role exists: eksctl update iamserviceaccount --config-file manifests/aws/direct-irsa.yaml --approve)'
    POD_IDENTITY_FIX='eksctl create podidentityassociation --config-file manifests/aws/direct-pod-identity.yaml (if it exists: eksctl update podidentityassociation --config-file manifests/aws/direct-pod-identity.yaml)'
    SERVICE_ACCOUNT='sampleapi'
    EXPORT_LOG='sampleapi'\''s log: kubectl -n aspire-xray logs deployment/sampleapi' ;;
  *) echo "unknown argument: $1" >&2
     echo "usage: sh $0 [pod-identity | direct | direct-pod-identity]: the collector's role (routes 1 and 2) through IRSA (no argument) or EKS Pod Identity, or route 3's (sampleapi, no collector) through either" >&2
     exit 2 ;;
esac
SINCE=$(( $(date +%s) - 900 ))
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

case "${1:-}" in *pod-identity)
  ROLE_FIX=$POD_IDENTITY_FIX
  association=$(aws eks list-pod-identity-associations --region "$REGION" --cluster-name 'aspire-xray' --namespace 'aspire-xray' --service-account "$SERVICE_ACCOUNT" --query 'associations[0].associationId' --output text 2>/dev/null)
  ROLE_ARN=$(aws eks describe-pod-identity-association --region "$REGION" --cluster-name 'aspire-xray' --association-id "$association" --query 'association.roleArn' --output text 2>/dev/null)
  if [ -n "$ROLE_ARN" ] && [ "$ROLE_ARN" != None ]; then ok "Pod Identity association for aspire-xray/$SERVICE_ACCOUNT"; else miss "a Pod Identity association for aspire-xray/$SERVICE_ACCOUNT" "$ROLE_FIX"; ROLE_ARN=none; fi
  ROLE_NAME=${ROLE_ARN##*/}
esac

destination=$(aws xray get-trace-segment-destination --region "$REGION" --query '[Destination,Status]' --output text 2>/dev/null | tr -s '\t ' '  ')
if [ "$destination" = "CloudWatchLogs ACTIVE" ]; then ok "Transaction Search (spans go to CloudWatch Logs)"; else miss "Transaction Search: the trace segment destination is '${destination:-unknown}', not 'CloudWatchLogs ACTIVE'" "sh manifests/aws/setup-account.sh (or wait a few minutes while it is PENDING)"; fi
policies=$(aws logs describe-resource-policies --region "$REGION" --query "resourcePolicies[?contains(policyDocument, 'xray.amazonaws.com')].policyName" --output text 2>/dev/null)
if [ -n "$policies" ] && [ "$policies" != None ]; then ok "CloudWatch Logs resource policy for X-Ray ($policies)"; else miss "a CloudWatch Logs resource policy that lets X-Ray write to aws/spans" "sh manifests/aws/setup-account.sh"; fi

count=$(aws logs describe-log-streams --region "$REGION" --log-group-name '/aspire-xray/logs' --log-stream-name-prefix 'otlp' --query "length(logStreams[?logStreamName=='otlp'])" --output text 2>/dev/null)
if [ "$count" = 1 ]; then ok "log stream /aspire-xray/logs / otlp"; else miss "log stream otlp in log group /aspire-xray/logs" "sh manifests/aws/setup-account.sh"; fi

if aws iam get-role --role-name "$ROLE_NAME" >/dev/null 2>&1; then ok "IAM role $ROLE_NAME"; else miss "IAM role $ROLE_NAME" "$ROLE_FIX"; fi
may xray:PutSpans '*'
may xray:PutSpansForIndexing '*'
may xray:PutTraceSegments '*'
may logs:PutLogEvents 'arn:aws:logs:us-west-2:123456789012:log-group:/aspire-xray/logs'
may logs:PutLogEvents 'arn:aws:logs:us-west-2:123456789012:log-group:/aspire-xray/logs:*'
may logs:DescribeLogGroups 'arn:aws:logs:us-west-2:123456789012:log-group:/aspire-xray/logs'
may logs:DescribeLogGroups 'arn:aws:logs:us-west-2:123456789012:log-group:/aspire-xray/logs:*'
may logs:DescribeLogStreams 'arn:aws:logs:us-west-2:123456789012:log-group:/aspire-xray/logs'
may logs:DescribeLogStreams 'arn:aws:logs:us-west-2:123456789012:log-group:/aspire-xray/logs:*'
may cloudwatch:PutMetricData '*'

# What arrived in the last 15 minutes: call /sample first, and allow a minute for delivery.
spans=$(aws logs filter-log-events --region "$REGION" --log-group-name aws/spans --start-time $((SINCE * 1000)) --filter-pattern '"sample3"' --max-items 1 --query 'length(events)' --output text 2>/dev/null)
if [ "${spans:-0}" != 0 ] && [ "$spans" != None ]; then ok "spans of GET /sample in aws/spans"; else miss "no span of GET /sample in aws/spans since $(date -d "@$SINCE" 2>/dev/null || echo "$SINCE")" "call /sample, wait a minute, and look for export errors in $EXPORT_LOG"; fi
lines=$(aws logs filter-log-events --region "$REGION" --log-group-name '/aspire-xray/logs' --start-time $((SINCE * 1000)) --filter-pattern '"sample3 done."' --max-items 1 --query 'length(events)' --output text 2>/dev/null)
if [ "${lines:-0}" != 0 ] && [ "$lines" != None ]; then ok "'sample3 done.' in /aspire-xray/logs"; else miss "no 'sample3 done.' log line in /aspire-xray/logs" "call /sample, wait a minute, and look for export errors in $EXPORT_LOG"; fi

if [ "$missing" -gt 0 ]; then echo "$missing missing."; exit 1; fi
echo "Everything is in place."
