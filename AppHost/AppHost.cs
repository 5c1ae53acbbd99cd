var builder = DistributedApplication.CreateBuilder(args);

builder.AddProject<Projects.SampleApi>("sampleapi")
    .WithHttpHealthCheck("/health");

builder.Build().Run();
