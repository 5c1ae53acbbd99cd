#!/bin/sh
# Generated from the AppHost by `dotnet run --project AppHost -- --operation publish --step eks-manifests --output-path ../manifests`; change AppHost/appsettings.json (Eks) or the AppHost instead.
set -eu
REGION='us-west-2'
ACCOUNT='123456789012'

# Transaction Search: X-Ray may write spans into CloudWatch Logs, then sends them there.
aws logs put-resource-policy --region "$REGION" --policy-name TransactionSearchAccess --policy-document '{"Version":"2012-10-17","Statement":[{"Sid":"TransactionSearchXRayAccess","Effect":"Allow","Principal":{"Service":"xray.amazonaws.com"},"Action":"logs:PutLogEvents","Resource":["arn:aws:logs:us-west-2:123456789012:log-group:aws/spans:*","arn:aws:logs:us-west-2:123456789012:log-group:/aws/application-signals/data:*"],"Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:xray:us-west-2:123456789012:*"},"StringEquals":{"aws:SourceAccount":"123456789012"}}}]}'
if [ "$(aws xray get-trace-segment-destination --region "$REGION" --query Destination --output text)" = CloudWatchLogs ]; then
  echo "Transaction Search is already on (destination CloudWatchLogs)"
else
  aws xray update-trace-segment-destination --region "$REGION" --destination CloudWatchLogs
fi

# The log groups and streams the collector writes to (it creates none itself).
ensure_stream() {
  if [ "$(aws logs describe-log-groups --region "$REGION" --log-group-name-prefix "$1" --query "length(logGroups[?logGroupName=='$1'])" --output text)" != 1 ]; then
    aws logs create-log-group --region "$REGION" --log-group-name "$1"
  fi
  if [ "$(aws logs describe-log-streams --region "$REGION" --log-group-name "$1" --log-stream-name-prefix "$2" --query "length(logStreams[?logStreamName=='$2'])" --output text)" != 1 ]; then
    aws logs create-log-stream --region "$REGION" --log-group-name "$1" --log-stream-name "$2"
  fi
  echo "log stream $1 / $2 is there"
}
ensure_stream '/aspire-xray/logs' 'otlp'
