using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests.Export;

[Collection(ProcessWideTracingState.Name)]
public class OtlpExportDefaultsTests
{
    private static readonly string QueueSize = OtlpExportDefaults.MaxQueueSize.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void Batch_export_defaults_apply_under_the_standard_names()
    {
        var builder = WebApplication.CreateBuilder();
        builder.AddServiceDefaults();

        Assert.Equal(QueueSize, builder.Configuration["OTEL_BSP_MAX_QUEUE_SIZE"]);
        Assert.Equal(QueueSize, builder.Configuration["OTEL_BLRP_MAX_QUEUE_SIZE"]);
    }

    [Fact]
    public void The_batch_size_is_left_to_the_SDK()
    {
        var builder = WebApplication.CreateBuilder();
        builder.AddServiceDefaults();

        Assert.Null(builder.Configuration["OTEL_BSP_MAX_EXPORT_BATCH_SIZE"]);
        Assert.Null(builder.Configuration["OTEL_BLRP_MAX_EXPORT_BATCH_SIZE"]);
    }

    [Fact]
    public void A_setting_from_any_other_source_overrides_the_defaults()
    {
        var builder = WebApplication.CreateBuilder(["--OTEL_BSP_MAX_QUEUE_SIZE=100"]);
        builder.AddServiceDefaults();
        builder.Configuration["OTEL_BLRP_MAX_EXPORT_BATCH_SIZE"] = "10";

        Assert.Equal("100", builder.Configuration["OTEL_BSP_MAX_QUEUE_SIZE"]);
        Assert.Equal("10", builder.Configuration["OTEL_BLRP_MAX_EXPORT_BATCH_SIZE"]);
        Assert.Equal(QueueSize, builder.Configuration["OTEL_BLRP_MAX_QUEUE_SIZE"]);
    }
}
