// The containers table of the metadata database.
#include "store/containernames.h"
#include "store/imagestore.h"
#include "store/metadata.h"
#include "store/metadata_p.h"

#include <algorithm>
#include <ctime>

namespace Berth::Store {

using Internal::sqlError;
using Internal::Statement;

namespace {

constexpr char s_columns[] = "id, name, image, image_name, created, config";

ContainerRecord containerFromRow(const Statement &s)
{
    return {s.text(0), s.text(1), s.digest(2), s.text(3), s.integer(4), s.text(5)};
}

Error noSuchContainer(const std::string &idOrName)
{
    return Error(ErrorCode::NotFound, "no such container: \"" + idOrName + "\"");
}

Error nameTaken(const std::string &name, const std::string &holder)
{
    return Error(ErrorCode::Conflict,
                 "the container name \"" + name + "\" is already in use by container " +
                     holder.substr(0, 12) + " (remove or rename it, or choose another name)");
}

} // namespace

Result<void> Metadata::putContainer(const ContainerRecord &c)
{
    if (auto holder = container(c.name); holder && holder->name == c.name)
        return fail(nameTaken(c.name, holder->id));
    Statement s(m_db, (std::string("INSERT INTO containers (") + s_columns +
                       ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                          .c_str());
    if (!s.ok())
        return fail(sqlError(m_db, "record container"));
    s.bind(1, c.id).bind(2, c.name).bind(3, c.image.toString()).bind(4, c.imageName);
    s.bind(5, c.created).bind(6, c.config);
    if (s.step() != SQLITE_DONE)
        return fail(sqlError(m_db, "record container " + c.id.substr(0, 12)));
    return {};
}

Result<ContainerRecord> Metadata::container(const std::string &idOrName) const
{
    // A name first (Docker's order), then the id or a unique prefix of it.
    {
        Statement s(
            m_db,
            (std::string("SELECT ") + s_columns + " FROM containers WHERE name = ?1").c_str());
        if (!s.ok())
            return fail(sqlError(m_db, "look up container"));
        const int rc = s.bind(1, idOrName).step();
        if (rc == SQLITE_ROW)
            return containerFromRow(s);
        if (rc != SQLITE_DONE)
            return fail(sqlError(m_db, "look up container \"" + idOrName + "\""));
    }
    const bool hex = !idOrName.empty() && idOrName.size() <= 64 &&
                     std::all_of(idOrName.begin(), idOrName.end(), [](char c) {
                         return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                     });
    if (!hex)
        return fail(noSuchContainer(idOrName));
    Statement s(m_db, (std::string("SELECT ") + s_columns +
                       " FROM containers WHERE substr(id, 1, ?2) = ?1 LIMIT 2")
                          .c_str());
    if (!s.ok())
        return fail(sqlError(m_db, "look up container"));
    s.bind(1, idOrName).bind(2, std::int64_t(idOrName.size()));
    std::vector<ContainerRecord> found;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW)
        found.push_back(containerFromRow(s));
    if (rc != SQLITE_DONE)
        return fail(sqlError(m_db, "look up container \"" + idOrName + "\""));
    if (found.size() > 1)
        return fail(ErrorCode::Conflict,
                    "\"" + idOrName + "\" matches several containers: give more of the id");
    if (found.empty())
        return fail(noSuchContainer(idOrName));
    return std::move(found.front());
}

Result<std::vector<ContainerRecord>> Metadata::containers() const
{
    Statement s(m_db,
                (std::string("SELECT ") + s_columns + " FROM containers ORDER BY created DESC, id")
                    .c_str());
    if (!s.ok())
        return fail(sqlError(m_db, "list containers"));
    std::vector<ContainerRecord> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW)
        out.push_back(containerFromRow(s));
    if (rc != SQLITE_DONE)
        return fail(sqlError(m_db, "list containers"));
    return out;
}

Result<void> Metadata::renameContainer(const std::string &id, const std::string &name)
{
    if (auto holder = container(name); holder && holder->name == name && holder->id != id)
        return fail(nameTaken(name, holder->id));
    Statement s(m_db, "UPDATE containers SET name = ?2 WHERE id = ?1");
    if (!s.ok() || s.bind(1, id).bind(2, name).step() != SQLITE_DONE)
        return fail(sqlError(m_db, "rename container " + id.substr(0, 12)));
    if (sqlite3_changes(m_db) == 0)
        return fail(noSuchContainer(id));
    return {};
}

Result<bool> Metadata::removeContainer(const std::string &id)
{
    Statement s(m_db, "DELETE FROM containers WHERE id = ?1");
    if (!s.ok() || s.bind(1, id).step() != SQLITE_DONE)
        return fail(sqlError(m_db, "remove container " + id.substr(0, 12)));
    return sqlite3_changes(m_db) > 0;
}

Result<ContainerRecord> ImageStore::createContainer(ContainerRecord record)
{
    const bool named = !record.name.empty();
    if (named) {
        auto checked = checkContainerName(record.name);
        if (!checked)
            return fail(std::move(checked).error());
        record.name = *checked;
    }
    record.id = newContainerId();
    record.created = std::int64_t(std::time(nullptr));
    for (int attempt = 0;; ++attempt) {
        if (!named)
            record.name = randomContainerName(attempt);
        auto ok = m_metadata.transaction([&]() -> Result<void> {
            auto image = m_metadata.image(record.image);
            if (!image)
                return fail(std::move(image).error());
            if (!*image)
                return fail(ErrorCode::NotFound,
                            "no such image: " + record.image.toString() + " (it was removed)");
            if (auto put = m_metadata.putContainer(record); !put)
                return put;
            return m_metadata.addRoot(
                {"container:" + record.id, GcRoot::Kind::Image, record.image});
        });
        if (ok)
            return record;
        // A generated name someone took: draw another.
        if (named || ok.error().code() != ErrorCode::Conflict || attempt >= 8)
            return fail(std::move(ok).error());
    }
}

Result<bool> ImageStore::removeContainer(const std::string &id)
{
    bool removed = false;
    auto ok = m_metadata.transaction([&]() -> Result<void> {
        auto gone = m_metadata.removeContainer(id);
        if (!gone)
            return fail(std::move(gone).error());
        removed = *gone;
        return m_metadata.removeRoots("container:" + id);
    });
    if (!ok)
        return fail(std::move(ok).error());
    return removed;
}

} // namespace Berth::Store
