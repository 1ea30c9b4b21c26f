# The silo on CPUs. Build from the repository root:
#   docker build -f deploy/docker/silo-cpu.Dockerfile -t registry.example.com/sweeps/silo-cpu:0.1.0 .
# Ubuntu 24.04's libstdc++ has GLIBCXX_3.4.32, so TorchSharp's native library loads without the build's patch.
FROM mcr.microsoft.com/dotnet/sdk:10.0.100-noble AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY build/ build/
COPY src/ src/
RUN dotnet publish src/Silo/Sweeps.Silo.csproj -c Release -o /app -p:TorchBackend=cpu

FROM mcr.microsoft.com/dotnet/aspnet:10.0.12-noble
WORKDIR /app
COPY --from=build /app ./
# The base image's unprivileged `app` user (uid 1654); the manifests run the pod as the same uid.
USER $APP_UID
ENV ASPNETCORE_HTTP_PORTS=8080 SWEEPS_CACHE=/tmp/sweeps-cache
EXPOSE 8080 11111 30000
HEALTHCHECK --interval=15s --timeout=6s --start-period=60s --retries=3 CMD ["dotnet", "/app/Sweeps.Silo.dll", "probe"]
ENTRYPOINT ["dotnet", "/app/Sweeps.Silo.dll"]
