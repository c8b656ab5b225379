# Multi-stage build: SDK to publish, ASP.NET runtime to run.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Abono.Web -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://+:8080 \
    Database__Provider=Postgres \
    Database__MigrateAtStart=false
EXPOSE 8080
USER app
ENTRYPOINT ["dotnet", "Abono.Web.dll"]
