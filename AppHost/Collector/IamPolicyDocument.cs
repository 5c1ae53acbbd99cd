using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Aspire.Hosting;

/// <summary>An IAM policy document (version 2012-10-17), with IAM's own key names whatever the serializer's naming convention.</summary>
internal sealed class IamPolicyDocument
{
    // Quoted: unquoted, YAML 1.1 would read the date as a timestamp.
    [YamlMember(Alias = "Version", ApplyNamingConventions = false, ScalarStyle = ScalarStyle.DoubleQuoted)]
    public string Version { get; set; } = "2012-10-17";

    [YamlMember(Alias = "Statement", ApplyNamingConventions = false)]
    public IList<IamStatement> Statement { get; set; } = [];
}

/// <summary>One Allow statement.</summary>
internal sealed class IamStatement
{
    [YamlMember(Alias = "Effect", ApplyNamingConventions = false)]
    public string Effect { get; set; } = "Allow";

    [YamlMember(Alias = "Action", ApplyNamingConventions = false)]
    public IList<string> Action { get; set; } = [];

    [YamlMember(Alias = "Resource", ApplyNamingConventions = false)]
    public IList<string> Resource { get; set; } = [];
}
