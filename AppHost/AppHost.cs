var builder = DistributedApplication.CreateBuilder(args);

var aws = builder.AddAwsConfig();

var collector = builder.AddAdotCollector("collector")
    .WithReference(aws)
    .ReceiveTelemetryFromAllProjects();

builder.AddProject<Projects.SampleApi>("sampleapi")
    .WithReference(aws)
    .WithDirectToAwsFallback(collector, aws)
    .WithHttpHealthCheck("/health")
    // Served over http only: no development certificate to look for (nor to warn about).
    .WithoutHttpsCertificate()
    .WithSampleLinks()
    .WithCallSampleCommand()
    .WithStartupSummary(collector, aws);

builder.AddEksManifests();

builder.Build().Run();
