using AppHost.Eks;
using Aspire.Hosting.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>Adds the pipeline step that writes the EKS deployment bundle (<c>manifests/</c>).</summary>
public static partial class EksManifestsExtensions
{
    /// <summary>The step's name, for <c>--step</c>.</summary>
    public const string StepName = "eks-manifests";

    /// <summary>
    /// Adds the <c>eks-manifests</c> pipeline step: checks the <c>Eks</c> settings, runs <c>aspirate generate</c>
    /// on this AppHost into <c>base/</c>, renders the EKS overlays and eksctl files from the app model, and
    /// swaps them into the output folder whole. When publishing, the projects serve plain http only, as
    /// Aspirate deploys them. The step runs only when asked for:
    /// <c>dotnet run --project AppHost -- --operation publish --step eks-manifests --output-path ../manifests</c> (relative paths are resolved from the AppHost folder).
    /// </summary>
    /// <param name="builder">The distributed application builder.</param>
    /// <returns>The builder.</returns>
    public static IDistributedApplicationBuilder AddEksManifests(this IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        if (builder.ExecutionContext.IsPublishMode)
        {
            builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
            {
                PublishedProjects.ServeHttpOnlyAsAspirateBindsIt(e.Model);
                if (DirectRoute.IsOn(builder.Configuration))
                {
                    DirectRoute.SendStraightToAws(e.Model, builder.Configuration);
                }

                return Task.CompletedTask;
            });
        }

#pragma warning disable ASPIREPIPELINES001, ASPIREPIPELINES004 // Pipelines are experimental; this is the documented way to add a publish step.
        builder.Pipeline.AddStep(StepName, async context =>
        {
            try
            {
                await WriteBundleAsync(builder, context);
            }
            catch (EksBundleException e)
            {
                // One line the user can act on; Aspire would print the stack trace twice and still exit 0.
                LogFailed(context.Logger, e.Message);
                Environment.ExitCode = 1;
            }
        });
#pragma warning restore ASPIREPIPELINES001, ASPIREPIPELINES004

        return builder;
    }

#pragma warning disable ASPIREPIPELINES001, ASPIREPIPELINES004
    private static async Task WriteBundleAsync(IDistributedApplicationBuilder builder, PipelineStepContext context)
    {
        // Everything that can be wrong is checked before anything is written.
        var settings = EksSettings.Read(builder.Configuration);
        var aspirate = Aspirate.Locate(builder.Configuration);
        var app = EksAppModel.From(context.Model);
        var output = context.Services.GetRequiredService<IPipelineOutputService>().GetOutputDirectory();

        await EksBundleWriter.WriteAsync(output, app, settings, aspirate, builder.AppHostDirectory, context.CancellationToken);
        LogWritten(context.Logger, output, aspirate);
    }
#pragma warning restore ASPIREPIPELINES001, ASPIREPIPELINES004

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "EKS bundle written to {Output} (Aspirate: {Aspirate}).")]
    private static partial void LogWritten(ILogger logger, string output, string aspirate);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "EKS bundle not written: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
