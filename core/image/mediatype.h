#pragma once

#include <string_view>

namespace Berth::Image {

// The media types of the OCI image spec and of Docker's image manifest v2 schema 2.
namespace MediaType {

inline constexpr std::string_view OciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view OciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view OciConfig = "application/vnd.oci.image.config.v1+json";
inline constexpr std::string_view OciLayer = "application/vnd.oci.image.layer.v1.tar";
inline constexpr std::string_view OciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
inline constexpr std::string_view OciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
inline constexpr std::string_view OciLayerNondistributable =
    "application/vnd.oci.image.layer.nondistributable.v1.tar";
inline constexpr std::string_view OciLayerNondistributableGzip =
    "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
inline constexpr std::string_view OciLayerNondistributableZstd =
    "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";
inline constexpr std::string_view OciEmpty = "application/vnd.oci.empty.v1+json";
inline constexpr std::string_view OciDescriptor = "application/vnd.oci.descriptor.v1+json";
inline constexpr std::string_view OciLayoutHeader = "application/vnd.oci.layout.header.v1+json";

inline constexpr std::string_view DockerManifest =
    "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr std::string_view DockerManifestList =
    "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr std::string_view DockerConfig = "application/vnd.docker.container.image.v1+json";
inline constexpr std::string_view DockerLayerGzip =
    "application/vnd.docker.image.rootfs.diff.tar.gzip";
inline constexpr std::string_view DockerForeignLayerGzip =
    "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
inline constexpr std::string_view DockerPluginConfig = "application/vnd.docker.plugin.v1+json";
// Schema 1 is recognised only to be refused with a clear message.
inline constexpr std::string_view DockerSchema1Manifest =
    "application/vnd.docker.distribution.manifest.v1+json";
inline constexpr std::string_view DockerSchema1SignedManifest =
    "application/vnd.docker.distribution.manifest.v1+prettyjws";

// An image manifest (OCI or Docker schema 2).
bool isManifest(std::string_view mediaType);
// An index (OCI image index or Docker manifest list).
bool isIndex(std::string_view mediaType);
// Docker's deprecated, unsupported schema 1.
bool isSchema1(std::string_view mediaType);
// An image configuration (OCI or Docker), as opposed to an artifact's config.
bool isImageConfig(std::string_view mediaType);
// A filesystem layer (tar, gzip or zstd; OCI, Docker or non-distributable).
bool isLayer(std::string_view mediaType);
// Whether `text` is shaped as RFC 6838 requires: type "/" subtype, restricted characters.
bool isWellFormed(std::string_view text);

} // namespace MediaType

} // namespace Berth::Image
