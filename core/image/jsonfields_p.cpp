#include "image/jsonfields_p.h"

#include <limits>

namespace Berth::Image::Internal {

Result<Json> parseObject(std::string_view bytes, std::string_view what)
{
    Json json;
    try {
        json = Json::parse(bytes.begin(), bytes.end());
    } catch (const Json::exception &e) {
        return fail(ErrorCode::Parse, std::string(what) + ": invalid JSON: " + e.what());
    }
    if (!json.is_object())
        return fail(ErrorCode::Parse, std::string(what) + ": expected a JSON object");
    return json;
}

std::string dump(const OrderedJson &json)
{
    // Strings come from parsed (validated) UTF-8 or from our callers; replace rather than throw.
    return json.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

Fields::Fields(const Json &object, std::string path)
    : m_object(object)
    , m_path(std::move(path))
{}

const Json *Fields::find(std::string_view key) const
{
    const auto it = m_object.find(key);
    if (it == m_object.end() || it->is_null())
        return nullptr;
    return &*it;
}

std::string Fields::pathOf(std::string_view key) const
{
    return m_path + (m_path.find(':') == std::string::npos ? ": " : ".") + std::string(key);
}

Error Fields::error(std::string_view key, const std::string &message) const
{
    return Error(ErrorCode::Parse, pathOf(key) + ": " + message);
}

Result<std::string> Fields::string(std::string_view key, bool required) const
{
    const Json *value = find(key);
    if (!value) {
        if (required)
            return fail(error(key, "is required"));
        return std::string();
    }
    if (!value->is_string())
        return fail(error(key, "must be a string"));
    return value->get<std::string>();
}

Result<std::int64_t> Fields::integer(std::string_view key, bool required) const
{
    const Json *value = find(key);
    if (!value) {
        if (required)
            return fail(error(key, "is required"));
        return std::int64_t(0);
    }
    if (value->is_number_unsigned()) {
        const auto u = value->get<std::uint64_t>();
        if (u > std::uint64_t(std::numeric_limits<std::int64_t>::max()))
            return fail(error(key, "is too large"));
        return std::int64_t(u);
    }
    if (!value->is_number_integer())
        return fail(error(key, "must be an integer"));
    return value->get<std::int64_t>();
}

Result<bool> Fields::boolean(std::string_view key) const
{
    const Json *value = find(key);
    if (!value)
        return false;
    if (!value->is_boolean())
        return fail(error(key, "must be true or false"));
    return value->get<bool>();
}

Result<Digest> Fields::digest(std::string_view key, bool required) const
{
    auto text = string(key, required);
    if (!text)
        return fail(std::move(text).error());
    if (text->empty() && !required)
        return Digest();
    auto digest = Digest::parse(*text);
    if (!digest)
        return fail(error(key, digest.error().message()));
    return *digest;
}

Result<std::vector<std::string>> Fields::strings(std::string_view key) const
{
    auto list = optionalStrings(key);
    if (!list)
        return fail(std::move(list).error());
    return list->value_or(std::vector<std::string>());
}

Result<std::optional<std::vector<std::string>>> Fields::optionalStrings(std::string_view key) const
{
    const Json *value = find(key);
    if (!value)
        return std::optional<std::vector<std::string>>();
    if (value->is_string())
        return std::optional(std::vector<std::string>{value->get<std::string>()});
    if (!value->is_array())
        return fail(error(key, "must be a list of strings"));
    std::vector<std::string> out;
    for (const Json &item : *value) {
        if (!item.is_string())
            return fail(error(key, "must be a list of strings"));
        out.push_back(item.get<std::string>());
    }
    return std::optional(std::move(out));
}

Result<std::map<std::string, std::string>> Fields::stringMap(std::string_view key) const
{
    const Json *value = find(key);
    std::map<std::string, std::string> out;
    if (!value)
        return out;
    if (!value->is_object())
        return fail(error(key, "must be an object of strings"));
    for (const auto &[name, item] : value->items()) {
        if (!item.is_string())
            return fail(error(key, "\"" + name + "\" must be a string"));
        out[name] = item.get<std::string>();
    }
    return out;
}

Result<std::set<std::string>> Fields::keySet(std::string_view key) const
{
    const Json *value = find(key);
    std::set<std::string> out;
    if (!value)
        return out;
    if (!value->is_object())
        return fail(error(key, "must be an object"));
    for (const auto &[name, item] : value->items()) {
        (void)item;
        out.insert(name);
    }
    return out;
}

void putNonEmpty(OrderedJson &json, const char *key, const std::string &value)
{
    if (!value.empty())
        json[key] = value;
}

void putNonEmpty(OrderedJson &json, const char *key, const std::vector<std::string> &value)
{
    if (!value.empty())
        json[key] = value;
}

void putNonEmpty(OrderedJson &json, const char *key,
                 const std::map<std::string, std::string> &value)
{
    if (!value.empty())
        json[key] = value;
}

void putNonEmpty(OrderedJson &json, const char *key, const std::set<std::string> &value)
{
    if (value.empty())
        return;
    OrderedJson object = OrderedJson::object();
    for (const std::string &name : value)
        object[name] = OrderedJson::object();
    json[key] = std::move(object);
}

} // namespace Berth::Image::Internal
