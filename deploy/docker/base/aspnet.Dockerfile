# platform/base-aspnet: the local stand-in for mcr.microsoft.com/dotnet/aspnet:10.0 (built by build.sh).
# Same conventions as Microsoft's image: dotnet under /usr/share/dotnet, the user app (APP_UID 1654), port 8080.
ARG BASE_IMAGE=platform/debian:bookworm
FROM ${BASE_IMAGE}
ARG ASPNET_VERSION
COPY dotnet/ /usr/share/dotnet/
ENV APP_UID=1654 \
    ASPNETCORE_HTTP_PORTS=8080 \
    ASPNET_VERSION=${ASPNET_VERSION} \
    DOTNET_RUNNING_IN_CONTAINER=true \
    DOTNET_ROOT=/usr/share/dotnet \
    PATH=/usr/share/dotnet:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LABEL org.opencontainers.image.title="platform base-aspnet" \
      org.opencontainers.image.description="Debian bookworm minbase + ASP.NET Core ${ASPNET_VERSION} runtime"
