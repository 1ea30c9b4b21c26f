# The sweep CLI, for CI jobs and pods that submit to a cluster (`--cluster` or `--gateway`), or run small grids on the
# embedded cluster. Build from the repository root:
#   docker build -f deploy/docker/client.Dockerfile -t registry.example.com/sweeps/client:0.1.0 .
#   docker run --rm -v $PWD:/work registry.example.com/sweeps/client:0.1.0 submit /work/grid.yaml --gateway sweeps-gateway:30000
FROM mcr.microsoft.com/dotnet/sdk:10.0.100-noble AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY build/ build/
COPY src/ src/
RUN dotnet publish src/SweepClient/Sweeps.SweepClient.csproj -c Release -o /app -p:TorchBackend=cpu

FROM mcr.microsoft.com/dotnet/runtime:10.0.12-noble
WORKDIR /app
COPY --from=build /app ./
USER $APP_UID
ENV SWEEPS_CACHE=/tmp/sweeps-cache
# A client has no server to probe: the health check is that the CLI starts.
HEALTHCHECK --interval=60s --timeout=20s CMD ["dotnet", "/app/sweep.dll", "--version"]
ENTRYPOINT ["dotnet", "/app/sweep.dll"]
