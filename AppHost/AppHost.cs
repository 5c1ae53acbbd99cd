var builder = DistributedApplication.CreateBuilder(args);

var aws = builder.AddAwsConfig();

builder.AddAdotCollector("collector")
    .WithReference(aws)
    .ReceiveTelemetryFromAllProjects();

builder.AddProject<Projects.SampleApi>("sampleapi")
    .WithReference(aws)
    .WithHttpHealthCheck("/health");

builder.AddEksManifests();

builder.Build().Run();
