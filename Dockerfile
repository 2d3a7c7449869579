# TagOlym web service. Build: docker build -t tagolym .   Run: docker run -p 8080:8080 -v tagolym-stores:/app/stores tagolym
# It serves models:/tagolym@champion from the MLflow store in /app/stores/model, or from the server of MLFLOW_TRACKING_URI,
# or the model file of Model__Path. A replica never trains: until a train job has registered and promoted a model it
# answers /health/ready with 503 and its log says how to provide one.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# restore first, from the project files only, so code changes keep the package layer cached
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/TagOlym.Core/TagOlym.Core.csproj src/TagOlym.Core/
COPY src/TagOlym.Web/TagOlym.Web.csproj src/TagOlym.Web/
RUN dotnet restore src/TagOlym.Web/TagOlym.Web.csproj
COPY src/TagOlym.Core/ src/TagOlym.Core/
COPY src/TagOlym.Web/ src/TagOlym.Web/
RUN dotnet publish src/TagOlym.Web/TagOlym.Web.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final
WORKDIR /app
COPY --from=build /app ./
# the model store belongs to the non-root user the service runs as
RUN mkdir -p /app/stores/models && chown -R app:app /app/stores
ENV ASPNETCORE_ENVIRONMENT=Production \
    ASPNETCORE_HTTP_PORTS=8080 \
    BaseDirectory=/app
USER app
EXPOSE 8080
VOLUME ["/app/stores"]
ENTRYPOINT ["dotnet", "TagOlym.Web.dll"]
