#include "store/metadata.h"
#include "store/metadata_p.h"

#include <sqlite3.h>

#include <cerrno>
#include <ctime>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <utility>

namespace Berth::Store {

namespace {

using Internal::sqlError;
using Internal::Statement;

// Each entry moves the schema from version i to i + 1; never edit one that has shipped.
const char *const s_migrations[] = {
    R"(CREATE TABLE images (
           manifest TEXT PRIMARY KEY,
           config TEXT NOT NULL,
           media_type TEXT NOT NULL,
           size INTEGER NOT NULL,
           created INTEGER NOT NULL,
           added INTEGER NOT NULL);
       CREATE TABLE tags (
           reference TEXT PRIMARY KEY,
           manifest TEXT NOT NULL REFERENCES images(manifest) ON DELETE CASCADE);
       CREATE INDEX tags_by_manifest ON tags(manifest);)",
    R"(CREATE TABLE gc_roots (
           owner TEXT NOT NULL,
           kind INTEGER NOT NULL,
           target TEXT NOT NULL,
           PRIMARY KEY (owner, kind, target));
       CREATE INDEX gc_roots_by_target ON gc_roots(kind, target);)",
    R"(CREATE TABLE containers (
           id TEXT PRIMARY KEY,
           name TEXT NOT NULL UNIQUE,
           image TEXT NOT NULL,
           image_name TEXT NOT NULL,
           created INTEGER NOT NULL,
           config TEXT NOT NULL);)",
};
static_assert(std::size(s_migrations) == Metadata::schemaVersion);

ImageRecord imageFromRow(const Statement &s)
{
    return {s.digest(0), s.digest(1), s.text(2), s.integer(3), s.integer(4), s.integer(5)};
}

constexpr char s_imageColumns[] = "manifest, config, media_type, size, created, added";

} // namespace

Metadata::Metadata(sqlite3 *db, std::string path)
    : m_db(db)
    , m_path(std::move(path))
{}

Metadata::Metadata(Metadata &&other) noexcept
    : m_db(std::exchange(other.m_db, nullptr))
    , m_path(std::move(other.m_path))
{}

Metadata &Metadata::operator=(Metadata &&other) noexcept
{
    if (this != &other) {
        sqlite3_close_v2(m_db);
        m_db = std::exchange(other.m_db, nullptr);
        m_path = std::move(other.m_path);
    }
    return *this;
}

Metadata::~Metadata()
{
    sqlite3_close_v2(m_db);
}

Result<Metadata> Metadata::open(const std::string &path)
{
    sqlite3 *db = nullptr;
    const int rc =
        sqlite3_open_v2(path.c_str(), &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    Metadata meta(db, path);
    if (rc != SQLITE_OK)
        return fail(sqlError(db, "open database \"" + path + "\""));
    // Another process may hold the write lock for a moment: wait rather than fail.
    sqlite3_busy_timeout(db, 10000);
    for (const char *pragma :
         {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"})
        if (auto ok = meta.exec(pragma); !ok)
            return fail(std::move(ok).error().wrap("opening database \"" + path + "\""));
    if (auto ok = meta.migrate(); !ok)
        return fail(std::move(ok).error().wrap("opening database \"" + path + "\""));
    return meta;
}

Result<void> Metadata::exec(const std::string &sql) const
{
    char *message = nullptr;
    if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        Error e(ErrorCode::Io, std::string(message ? message : "unknown error"));
        if (sqlite3_errcode(m_db) == SQLITE_BUSY)
            e = Error(ErrorCode::Conflict, e.message());
        sqlite3_free(message);
        return fail(std::move(e));
    }
    return {};
}

Result<int> Metadata::version() const
{
    Statement s(m_db, "PRAGMA user_version");
    if (!s.ok() || s.step() != SQLITE_ROW)
        return fail(sqlError(m_db, "read the schema version"));
    return int(s.integer(0));
}

Result<void> Metadata::migrate()
{
    // The common case needs no write (and no fsync).
    if (auto current = version(); current && *current == schemaVersion)
        return {};
    return transaction([this]() -> Result<void> {
        auto current = version();
        if (!current)
            return fail(std::move(current).error());
        if (*current > schemaVersion)
            return fail(ErrorCode::Unsupported,
                        "the database has schema version " + std::to_string(*current) +
                            ", newer than this Berth understands (" +
                            std::to_string(schemaVersion) + "): update Berth");
        for (int v = *current; v < schemaVersion; ++v)
            if (auto ok = exec(s_migrations[v]); !ok)
                return fail(std::move(ok).error().wrap("migrating to schema version " +
                                                       std::to_string(v + 1)));
        return exec("PRAGMA user_version=" + std::to_string(schemaVersion));
    });
}

Result<void> Metadata::transaction(const std::function<Result<void>()> &work)
{
    if (auto ok = exec("BEGIN IMMEDIATE"); !ok)
        return ok;
    auto result = work();
    if (!result) {
        (void)exec("ROLLBACK");
        return result;
    }
    if (auto ok = exec("COMMIT"); !ok) {
        (void)exec("ROLLBACK");
        return ok;
    }
    return {};
}

Result<void> Metadata::putImage(const ImageRecord &image)
{
    Statement s(m_db, "INSERT INTO images (manifest, config, media_type, size, created, added) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(manifest) DO UPDATE SET "
                      "config=?2, media_type=?3, size=?4, created=?5");
    if (!s.ok())
        return fail(sqlError(m_db, "record image"));
    s.bind(1, image.manifest.toString()).bind(2, image.config.toString()).bind(3, image.mediaType);
    s.bind(4, image.size).bind(5, image.created);
    s.bind(6, image.added ? image.added : std::int64_t(std::time(nullptr)));
    if (s.step() != SQLITE_DONE)
        return fail(sqlError(m_db, "record image " + image.manifest.toString()));
    return {};
}

Result<std::optional<ImageRecord>> Metadata::image(const Digest &manifest) const
{
    Statement s(
        m_db,
        (std::string("SELECT ") + s_imageColumns + " FROM images WHERE manifest = ?1").c_str());
    if (!s.ok())
        return fail(sqlError(m_db, "look up image"));
    s.bind(1, manifest.toString());
    const int rc = s.step();
    if (rc == SQLITE_DONE)
        return std::optional<ImageRecord>();
    if (rc != SQLITE_ROW)
        return fail(sqlError(m_db, "look up image " + manifest.toString()));
    return std::optional<ImageRecord>(imageFromRow(s));
}

Result<std::vector<ImageRecord>> Metadata::images() const
{
    Statement s(m_db, (std::string("SELECT ") + s_imageColumns +
                       " FROM images ORDER BY added DESC, manifest")
                          .c_str());
    if (!s.ok())
        return fail(sqlError(m_db, "list images"));
    std::vector<ImageRecord> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW)
        out.push_back(imageFromRow(s));
    if (rc != SQLITE_DONE)
        return fail(sqlError(m_db, "list images"));
    return out;
}

Result<void> Metadata::removeImage(const Digest &manifest)
{
    Statement s(m_db, "DELETE FROM images WHERE manifest = ?1");
    if (!s.ok() || s.bind(1, manifest.toString()).step() != SQLITE_DONE)
        return fail(sqlError(m_db, "remove image " + manifest.toString()));
    return {};
}

Result<void> Metadata::tag(const std::string &reference, const Digest &manifest)
{
    Statement s(m_db, "INSERT INTO tags (reference, manifest) VALUES (?1, ?2) "
                      "ON CONFLICT(reference) DO UPDATE SET manifest = ?2");
    if (!s.ok() || s.bind(1, reference).bind(2, manifest.toString()).step() != SQLITE_DONE)
        return fail(sqlError(m_db, "tag " + manifest.toString() + " as \"" + reference + "\""));
    return {};
}

Result<bool> Metadata::untag(const std::string &reference)
{
    Statement s(m_db, "DELETE FROM tags WHERE reference = ?1");
    if (!s.ok() || s.bind(1, reference).step() != SQLITE_DONE)
        return fail(sqlError(m_db, "untag \"" + reference + "\""));
    return sqlite3_changes(m_db) > 0;
}

Result<std::optional<Digest>> Metadata::resolve(const std::string &reference) const
{
    Statement s(m_db, "SELECT manifest FROM tags WHERE reference = ?1");
    if (!s.ok())
        return fail(sqlError(m_db, "resolve \"" + reference + "\""));
    const int rc = s.bind(1, reference).step();
    if (rc == SQLITE_DONE)
        return std::optional<Digest>();
    if (rc != SQLITE_ROW)
        return fail(sqlError(m_db, "resolve \"" + reference + "\""));
    return std::optional<Digest>(s.digest(0));
}

Result<std::vector<TagRecord>> Metadata::tags() const
{
    Statement s(m_db, "SELECT reference, manifest FROM tags ORDER BY reference");
    if (!s.ok())
        return fail(sqlError(m_db, "list tags"));
    std::vector<TagRecord> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW)
        out.push_back({s.text(0), s.digest(1)});
    if (rc != SQLITE_DONE)
        return fail(sqlError(m_db, "list tags"));
    return out;
}

Result<std::vector<std::string>> Metadata::tagsOf(const Digest &manifest) const
{
    Statement s(m_db, "SELECT reference FROM tags WHERE manifest = ?1 ORDER BY reference");
    if (!s.ok())
        return fail(sqlError(m_db, "list tags"));
    s.bind(1, manifest.toString());
    std::vector<std::string> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW)
        out.push_back(s.text(0));
    if (rc != SQLITE_DONE)
        return fail(sqlError(m_db, "list tags of " + manifest.toString()));
    return out;
}

namespace {

Result<StoreLock> lockFile(const std::string &path, StoreLock::Mode mode, bool wait,
                           const std::function<StoreLock(int)> &make)
{
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return fail(Error::fromErrno("open lock \"" + path + "\"", errno));
    const int op = (mode == StoreLock::Mode::Shared ? LOCK_SH : LOCK_EX) | (wait ? 0 : LOCK_NB);
    int rc;
    while ((rc = ::flock(fd, op)) != 0 && errno == EINTR) {
    }
    if (rc != 0) {
        const int err = errno;
        ::close(fd);
        if (err == EWOULDBLOCK)
            return fail(ErrorCode::Conflict,
                        "the store is busy: another Berth process holds \"" + path + "\"");
        return fail(Error::fromErrno("lock \"" + path + "\"", err));
    }
    return make(fd);
}

} // namespace

Result<StoreLock> StoreLock::acquire(const std::string &path, Mode mode)
{
    return lockFile(path, mode, true, [](int fd) { return StoreLock(fd); });
}

Result<StoreLock> StoreLock::tryAcquire(const std::string &path, Mode mode)
{
    return lockFile(path, mode, false, [](int fd) { return StoreLock(fd); });
}

StoreLock::StoreLock(StoreLock &&other) noexcept
    : m_fd(std::exchange(other.m_fd, -1))
{}

StoreLock &StoreLock::operator=(StoreLock &&other) noexcept
{
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = std::exchange(other.m_fd, -1);
    }
    return *this;
}

StoreLock::~StoreLock()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

} // namespace Berth::Store

namespace Berth::Store {

Result<void> Metadata::addRoot(const GcRoot &root)
{
    Statement s(m_db, "INSERT OR IGNORE INTO gc_roots (owner, kind, target) VALUES (?1, ?2, ?3)");
    if (!s.ok() || s.bind(1, root.owner)
                           .bind(2, std::int64_t(root.kind))
                           .bind(3, root.target.toString())
                           .step() != SQLITE_DONE)
        return fail(
            sqlError(m_db, "record that \"" + root.owner + "\" uses " + root.target.toString()));
    return {};
}

Result<void> Metadata::removeRoots(const std::string &owner)
{
    Statement s(m_db, "DELETE FROM gc_roots WHERE owner = ?1");
    if (!s.ok() || s.bind(1, owner).step() != SQLITE_DONE)
        return fail(sqlError(m_db, "forget what \"" + owner + "\" uses"));
    return {};
}

Result<std::vector<GcRoot>> Metadata::roots() const
{
    Statement s(m_db, "SELECT owner, kind, target FROM gc_roots ORDER BY owner, kind, target");
    if (!s.ok())
        return fail(sqlError(m_db, "list what containers and the build cache use"));
    std::vector<GcRoot> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
        const auto kind = s.integer(1);
        if (kind < 0 || kind > std::int64_t(GcRoot::Kind::Layer))
            continue; // written by a newer Berth: it keeps nothing this one knows of
        out.push_back({s.text(0), GcRoot::Kind(kind), s.digest(2)});
    }
    if (rc != SQLITE_DONE)
        return fail(sqlError(m_db, "list what containers and the build cache use"));
    return out;
}

} // namespace Berth::Store
