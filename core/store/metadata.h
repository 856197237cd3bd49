#pragma once

#include "base/digest.h"
#include "base/result.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace Berth::Store {

// An image the store knows: its manifest (the id shown to users is the config digest, as
// Docker shows it).
struct ImageRecord
{
    Digest manifest;
    Digest config;
    std::string mediaType;
    std::int64_t size = 0;    // manifest + config + layers, compressed
    std::int64_t created = 0; // seconds since the epoch, from the config
    std::int64_t added = 0;   // when the store got it
};

struct TagRecord
{
    std::string reference; // fully qualified: docker.io/library/busybox:latest
    Digest manifest;
};

// What keeps content alive besides tags: a container uses its image, a build cache entry its
// layer. Garbage collection marks from images and from these; `owner` says who holds them
// ("container:<id>", "build-cache:<key>").
struct GcRoot
{
    enum class Kind { Image, Blob, Layer }; // target: a manifest digest, a blob, a diff id
    std::string owner;
    Kind kind = Kind::Image;
    Digest target;
};

// A container the store knows: what it was created from and how it runs. Its state (running,
// exited, ...) is not here: the shim keeps it in containers/<id>/, where it changes.
struct ContainerRecord
{
    std::string id;        // 64 hex characters
    std::string name;      // unique: "brave_curie" or the user's --name
    Digest image;          // the manifest it was created from
    std::string imageName; // as the user gave it ("busybox")
    std::int64_t created = 0;
    std::string config; // how to run it (the runtime's JSON)
};

// The metadata database (SQLite in WAL mode): images, tags, GC roots and containers; the build
// cache and volumes get their tables with their issues. Several processes may use one database at
// once; every change is one transaction.
class Metadata
{
public:
    static constexpr int schemaVersion = 3;

    // Opens (creating and migrating) the database at `path`.
    static Result<Metadata> open(const std::string &path);
    Metadata(Metadata &&) noexcept;
    Metadata &operator=(Metadata &&) noexcept;
    ~Metadata();

    // The schema version stored in the file.
    Result<int> version() const;

    Result<void> putImage(const ImageRecord &image);
    Result<std::optional<ImageRecord>> image(const Digest &manifest) const;
    Result<std::vector<ImageRecord>> images() const;
    // Removes the image and the tags pointing at it.
    Result<void> removeImage(const Digest &manifest);

    // Points `reference` at an image (moving the tag if it pointed elsewhere).
    Result<void> tag(const std::string &reference, const Digest &manifest);
    // Removes a tag; false when there was none.
    Result<bool> untag(const std::string &reference);
    Result<std::optional<Digest>> resolve(const std::string &reference) const;
    Result<std::vector<TagRecord>> tags() const;
    Result<std::vector<std::string>> tagsOf(const Digest &manifest) const;

    // Records that `root.owner` uses `root.target` (again: no effect).
    Result<void> addRoot(const GcRoot &root);
    // Forgets everything `owner` uses.
    Result<void> removeRoots(const std::string &owner);
    Result<std::vector<GcRoot>> roots() const;

    // Records a new container; a name or id already taken is a Conflict naming its holder.
    Result<void> putContainer(const ContainerRecord &container);
    // By full id, unique id prefix, or name; NotFound ("no such container") otherwise.
    Result<ContainerRecord> container(const std::string &idOrName) const;
    // Every container, newest first.
    Result<std::vector<ContainerRecord>> containers() const;
    Result<void> renameContainer(const std::string &id, const std::string &name);
    // Removes the container's record; false when there was none.
    Result<bool> removeContainer(const std::string &id);

    // Runs `work` in one write transaction (BEGIN IMMEDIATE): all or nothing.
    Result<void> transaction(const std::function<Result<void>()> &work);

private:
    explicit Metadata(sqlite3 *db, std::string path);
    Result<void> migrate();
    Result<void> exec(const std::string &sql) const;

    sqlite3 *m_db = nullptr;
    std::string m_path;
};

// The store-wide lock: every operation holds it shared, garbage collection exclusive, so a
// collection never removes what an operation in flight is using.
class StoreLock
{
public:
    enum class Mode { Shared, Exclusive };
    // Blocks until the lock on `path` (created when missing) is held.
    static Result<StoreLock> acquire(const std::string &path, Mode mode);
    // Like acquire, but fails at once with ErrorCode::Conflict when it is held elsewhere.
    static Result<StoreLock> tryAcquire(const std::string &path, Mode mode);
    StoreLock(StoreLock &&) noexcept;
    StoreLock &operator=(StoreLock &&) noexcept;
    ~StoreLock();

private:
    explicit StoreLock(int fd)
        : m_fd(fd)
    {}
    int m_fd = -1;
};

} // namespace Berth::Store
