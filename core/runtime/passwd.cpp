#include "runtime/passwd.h"

#include <cerrno>
#include <cstring>

namespace Berth::Runtime::Internal {

namespace {

// The fields of one line of a colon-separated database.
struct Fields
{
    static constexpr int kMax = 7;
    std::string_view field[kMax];
    int count = 0;
};

Fields splitFields(std::string_view line)
{
    Fields f;
    while (f.count < Fields::kMax) {
        const std::size_t colon = line.find(':');
        f.field[f.count++] = line.substr(0, colon);
        if (colon == std::string_view::npos)
            break;
        line.remove_prefix(colon + 1);
    }
    return f;
}

// Calls `visit(fields)` for each well-formed line until it returns true.
template<class Visit> bool forEachLine(std::string_view db, int minFields, Visit visit)
{
    while (!db.empty()) {
        const std::size_t newline = db.find('\n');
        std::string_view line = db.substr(0, newline);
        db.remove_prefix(newline == std::string_view::npos ? db.size() : newline + 1);
        if (line.empty() || line.front() == '#')
            continue;
        const Fields f = splitFields(line);
        if (f.count >= minFields && visit(f))
            return true;
    }
    return false;
}

enum class Number { NotNumeric, Ok, OutOfRange };

Number parseId(std::string_view text, unsigned long &value)
{
    if (text.empty())
        return Number::NotNumeric;
    value = 0;
    bool overflow = false;
    for (char c : text) {
        if (c < '0' || c > '9')
            return Number::NotNumeric;
        if (!overflow)
            value = value * 10 + unsigned(c - '0');
        overflow = overflow || value > kMaxUserId;
    }
    return overflow ? Number::OutOfRange : Number::Ok;
}

void copyField(char *out, std::size_t size, std::string_view value)
{
    const std::size_t n = value.size() < size - 1 ? value.size() : size - 1;
    std::memcpy(out, value.data(), n);
    out[n] = '\0';
}

bool outOfRange(std::string_view what, std::string_view text, ChildFailure &failure)
{
    return failure.set(SetupFailed, 0, "%.*s \"%.*s\": ids must be in range 0-%lu",
                       int(what.size()), what.data(), int(text.size()), text.data(), kMaxUserId);
}

bool resolvePasswd(std::string_view userPart, std::string_view passwd, ResolvedUser &user,
                   ChildFailure &failure)
{
    unsigned long id = 0;
    const Number kind = parseId(userPart, id);
    if (kind == Number::OutOfRange)
        return outOfRange("user", userPart, failure);
    const bool found = forEachLine(passwd, 7, [&](const Fields &f) {
        unsigned long uid = 0;
        const bool match = kind == Number::Ok ? parseId(f.field[2], uid) == Number::Ok && uid == id
                                              : f.field[0] == userPart;
        if (!match)
            return false;
        unsigned long gid = 0;
        if (kind != Number::Ok && parseId(f.field[2], uid) != Number::Ok)
            return false;
        user.uid = uid_t(uid);
        user.gid = parseId(f.field[3], gid) == Number::Ok ? gid_t(gid) : 0;
        copyField(user.name, sizeof user.name, f.field[0]);
        copyField(user.home, sizeof user.home, f.field[5].empty() ? "/" : f.field[5]);
        return true;
    });
    if (found)
        return true;
    if (kind != Number::Ok)
        return failure.set(SetupFailed, 0,
                           "unable to find user %.*s: no matching entries in passwd file",
                           int(userPart.size()), userPart.data());
    user.uid = uid_t(id);
    return true;
}

bool resolveGroup(std::string_view groupPart, std::string_view group, ResolvedUser &user,
                  ChildFailure &failure)
{
    unsigned long id = 0;
    const Number kind = parseId(groupPart, id);
    if (kind == Number::OutOfRange)
        return outOfRange("group", groupPart, failure);
    if (kind == Number::Ok) {
        user.gid = gid_t(id);
        return true;
    }
    const bool found = forEachLine(group, 3, [&](const Fields &f) {
        unsigned long gid = 0;
        if (f.field[0] != groupPart || parseId(f.field[2], gid) != Number::Ok)
            return false;
        user.gid = gid_t(gid);
        return true;
    });
    if (!found)
        return failure.set(SetupFailed, 0,
                           "unable to find group %.*s: no matching entries in group file",
                           int(groupPart.size()), groupPart.data());
    return true;
}

bool listsMember(std::string_view members, std::string_view name)
{
    while (!members.empty()) {
        const std::size_t comma = members.find(',');
        if (members.substr(0, comma) == name)
            return true;
        members.remove_prefix(comma == std::string_view::npos ? members.size() : comma + 1);
    }
    return false;
}

void addSupplementaryGroups(std::string_view group, ResolvedUser &user)
{
    const std::string_view name(user.name);
    if (name.empty())
        return;
    forEachLine(group, 4, [&](const Fields &f) {
        unsigned long gid = 0;
        if (!listsMember(f.field[3], name) || parseId(f.field[2], gid) != Number::Ok)
            return false;
        user.groups[user.groupCount++] = gid_t(gid);
        return user.groupCount == ResolvedUser::kMaxGroups;
    });
}

} // namespace

bool resolveUser(std::string_view spec, std::string_view passwd, std::string_view group,
                 ResolvedUser &user, ChildFailure &failure)
{
    user = ResolvedUser();
    const std::size_t colon = spec.find(':');
    std::string_view userPart = spec.substr(0, colon);
    const std::string_view groupPart =
        colon == std::string_view::npos ? std::string_view() : spec.substr(colon + 1);
    if (userPart.empty())
        userPart = "0";
    if (!resolvePasswd(userPart, passwd, user, failure))
        return false;
    if (!groupPart.empty() && !resolveGroup(groupPart, group, user, failure))
        return false;
    // As Docker: the groups /etc/group lists the user in, unless a group was given.
    if (groupPart.empty())
        addSupplementaryGroups(group, user);
    return true;
}

} // namespace Berth::Runtime::Internal
