using YamlDotNet.Serialization;

namespace Aspire.Hosting;

/// <summary>An IAM policy document (version 2012-10-17), with IAM's own key names.</summary>
internal sealed class IamPolicyDocument
{
    [YamlMember(Alias = "Version")]
    public string Version { get; set; } = "2012-10-17";

    [YamlMember(Alias = "Statement")]
    public IList<IamStatement> Statement { get; set; } = [];
}

/// <summary>One Allow statement.</summary>
internal sealed class IamStatement
{
    [YamlMember(Alias = "Effect")]
    public string Effect { get; set; } = "Allow";

    [YamlMember(Alias = "Action")]
    public IList<string> Action { get; set; } = [];

    [YamlMember(Alias = "Resource")]
    public IList<string> Resource { get; set; } = [];
}
