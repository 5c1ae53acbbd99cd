namespace ServiceDefaults.Tests.Aws;

/// <summary>Tests that set the AWS variables of the process environment (<c>AwsEnvironment</c>): never run them in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AwsEnvironmentState
{
    public const string Name = "Process-wide AWS environment";
}
