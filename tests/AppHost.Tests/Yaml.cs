using YamlDotNet.Serialization;

namespace AppHost.Tests;

/// <summary>Reads YAML into maps and lists and walks it by key path.</summary>
internal static class Yaml
{
    public static Dictionary<object, object> Parse(string yaml) =>
        new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(yaml);

    /// <summary>The node at <paramref name="path"/>, e.g. <c>At(config, "service", "pipelines")</c>.</summary>
    public static object At(object node, params string[] path)
    {
        foreach (var key in path)
        {
            var map = Assert.IsType<Dictionary<object, object>>(node);
            Assert.True(map.ContainsKey(key), $"Missing key '{key}' in [{string.Join(", ", map.Keys)}]");
            node = map[key];
        }

        return node;
    }

    public static Dictionary<object, object> Map(object node, params string[] path) =>
        Assert.IsType<Dictionary<object, object>>(At(node, path));

    public static string[] List(object node, params string[] path) =>
        Assert.IsType<List<object>>(At(node, path)).Select(item => Assert.IsType<string>(item)).ToArray();

    public static string Text(object node, params string[] path) => Assert.IsType<string>(At(node, path));
}
