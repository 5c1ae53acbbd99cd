using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>Logs, once at startup, which <c>OTEL_PROPAGATORS</c> entries were ignored.</summary>
internal sealed partial class UnknownPropagatorsWarning(
    ILogger<UnknownPropagatorsWarning> logger, PropagatorSelection selection) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (selection.UnknownNames.Count > 0)
        {
            LogUnknown(
                PropagatorSelection.SettingName,
                string.Join(", ", selection.UnknownNames),
                string.Join(", ", selection.Names),
                PropagatorSelection.DefaultNames);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "{Setting} lists unknown propagators ({Unknown}); they are ignored. In effect: {InEffect}. "
        + "Known names: tracecontext, baggage, xray, none (default {Default}).")]
    private partial void LogUnknown(string setting, string unknown, string inEffect, string @default);
}
