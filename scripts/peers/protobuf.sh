#!/usr/bin/env bash
# Installs the Protobuf peers, idempotently, under ${KILN_CACHE:-$HOME/.cache/kiln}:
#   - protoc 35.x (NuGet Grpc.Tools 2.85.0: tools/linux_x64/protoc, build/native/include)
#   - the google-proto-files corpus (npm), extracted to $KILN_CACHE/google-proto-files/package
# Tests in tests/Kiln.Protobuf.Tests read the same locations (or KILN_PROTOC / KILN_PROTO_CORPUS).
set -euo pipefail
KILN_CACHE="${KILN_CACHE:-$HOME/.cache/kiln}"
GRPC_TOOLS_VERSION=2.85.0
mkdir -p "$KILN_CACHE"

nuget="$KILN_CACHE/nuget"
tools="$nuget/grpc.tools/$GRPC_TOOLS_VERSION"
if [ ! -x "$tools/tools/linux_x64/protoc" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  cat > "$work/restore.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
    <ImportDirectoryPackagesProps>false</ImportDirectoryPackagesProps>
    <ImportDirectoryBuildProps>false</ImportDirectoryBuildProps>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Grpc.Tools" Version="$GRPC_TOOLS_VERSION" />
  </ItemGroup>
</Project>
XML
  dotnet restore "$work/restore.csproj" --packages "$nuget" -v quiet >/dev/null
  chmod +x "$tools/tools/linux_x64/protoc" "$tools/tools/linux_x64/grpc_csharp_plugin" 2>/dev/null || true
fi
chmod +x "$tools/tools/linux_x64/protoc" "$tools/tools/linux_x64/grpc_csharp_plugin" 2>/dev/null || true

corpus="$KILN_CACHE/google-proto-files"
if [ ! -d "$corpus/package/google" ]; then
  mkdir -p "$corpus"
  (cd "$corpus" && rm -f google-proto-files-*.tgz && npm pack google-proto-files --silent >/dev/null && tar xzf google-proto-files-*.tgz)
fi

echo "protoc:        $tools/tools/linux_x64/protoc ($("$tools/tools/linux_x64/protoc" --version))"
echo "protoc include: $tools/build/native/include"
echo "grpc plugin:   $tools/tools/linux_x64/grpc_csharp_plugin"
echo "corpus:        $corpus/package ($(find "$corpus/package" -name '*.proto' | wc -l) .proto files)"
