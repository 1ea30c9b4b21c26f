# The silo on NVIDIA GPUs: the TorchSharp-cuda-linux backend (its packages carry libtorch with the CUDA 12 runtime,
# cuDNN and cuBLAS); the node's driver comes in through the NVIDIA container toolkit. Build from the repository root:
#   docker build -f deploy/docker/silo-cuda.Dockerfile -t registry.example.com/sweeps/silo-cuda:0.1.0 .
FROM mcr.microsoft.com/dotnet/sdk:10.0.100-noble AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY build/ build/
COPY src/ src/
RUN dotnet publish src/Silo/Sweeps.Silo.csproj -c Release -o /app -p:TorchBackend=cuda

FROM mcr.microsoft.com/dotnet/aspnet:10.0.12-noble
WORKDIR /app
COPY --from=build /app ./
USER $APP_UID
ENV ASPNETCORE_HTTP_PORTS=8080 SWEEPS_CACHE=/tmp/sweeps-cache \
    NVIDIA_VISIBLE_DEVICES=all NVIDIA_DRIVER_CAPABILITIES=compute,utility
EXPOSE 8080 11111 30000
HEALTHCHECK --interval=15s --timeout=6s --start-period=60s --retries=3 CMD ["dotnet", "/app/Sweeps.Silo.dll", "probe"]
ENTRYPOINT ["dotnet", "/app/Sweeps.Silo.dll"]
