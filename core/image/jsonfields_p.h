#pragma once

// JSON reading and writing shared by the image codecs. nlohmann stays behind this header: no
// public header of berth_image includes it, and no nlohmann exception leaves the module.

#include "base/digest.h"
#include "base/result.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

// Assigns the value of a Result expression to `target`, or returns its error.
#define BERTH_TRY_ASSIGN(target, expr)                                                             \
    do {                                                                                           \
        auto berthValue_ = (expr);                                                                 \
        if (!berthValue_)                                                                          \
            return fail(std::move(berthValue_).error());                                           \
        target = std::move(*berthValue_);                                                          \
    } while (false)

namespace Berth::Image::Internal {

using Json = nlohmann::json;
// Written documents keep the spec's field order, so our own output is byte-stable.
using OrderedJson = nlohmann::ordered_json;

// Parses `bytes` as one JSON object; `what` names the document in errors ("manifest").
Result<Json> parseObject(std::string_view bytes, std::string_view what);
// Compact JSON, UTF-8 kept as is.
std::string dump(const OrderedJson &json);

// Reads the typed members of one JSON object; errors name the member's path
// ("manifest: layers[2].size: ..."). A null member reads as an absent one, as Go does.
class Fields
{
public:
    Fields(const Json &object, std::string path);

    // The member, or nullptr when absent or null.
    const Json *find(std::string_view key) const;
    bool has(std::string_view key) const { return find(key) != nullptr; }
    // The path of a member, for nested readers ("manifest: layers[2]").
    std::string pathOf(std::string_view key) const;
    // An error about a member.
    Error error(std::string_view key, const std::string &message) const;

    Result<std::string> string(std::string_view key, bool required = false) const;
    Result<std::int64_t> integer(std::string_view key, bool required = false) const;
    Result<bool> boolean(std::string_view key) const;
    Result<Digest> digest(std::string_view key, bool required = false) const;
    Result<std::vector<std::string>> strings(std::string_view key) const;
    // Absent or null gives nullopt, [] gives an empty list; Docker also writes a lone string.
    Result<std::optional<std::vector<std::string>>> optionalStrings(std::string_view key) const;
    Result<std::map<std::string, std::string>> stringMap(std::string_view key) const;
    // The keys of an object of empty objects, as ExposedPorts and Volumes are written.
    Result<std::set<std::string>> keySet(std::string_view key) const;

private:
    const Json &m_object;
    std::string m_path;
};

// Members are written only when they hold something (Go's omitempty).
void putNonEmpty(OrderedJson &json, const char *key, const std::string &value);
void putNonEmpty(OrderedJson &json, const char *key, const std::vector<std::string> &value);
void putNonEmpty(OrderedJson &json, const char *key,
                 const std::map<std::string, std::string> &value);
void putNonEmpty(OrderedJson &json, const char *key, const std::set<std::string> &value);

} // namespace Berth::Image::Internal
