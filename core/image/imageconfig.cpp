#include "image/imageconfig.h"

#include "image/descriptor_p.h"

#include <limits>

namespace Berth::Image {

using namespace Internal;

namespace {

Result<HealthConfig> readHealth(const Fields &f)
{
    HealthConfig h;
    BERTH_TRY_ASSIGN(h.test, f.strings("Test"));
    BERTH_TRY_ASSIGN(h.interval, f.integer("Interval"));
    BERTH_TRY_ASSIGN(h.timeout, f.integer("Timeout"));
    BERTH_TRY_ASSIGN(h.startPeriod, f.integer("StartPeriod"));
    BERTH_TRY_ASSIGN(h.startInterval, f.integer("StartInterval"));
    std::int64_t retries = 0;
    BERTH_TRY_ASSIGN(retries, f.integer("Retries"));
    if (retries < 0 || retries > std::numeric_limits<int>::max())
        return fail(f.error("Retries", "out of range"));
    h.retries = static_cast<int>(retries);
    return h;
}

Result<ContainerConfig> readContainerConfig(const Fields &f)
{
    ContainerConfig c;
    BERTH_TRY_ASSIGN(c.user, f.string("User"));
    BERTH_TRY_ASSIGN(c.exposedPorts, f.keySet("ExposedPorts"));
    BERTH_TRY_ASSIGN(c.env, f.strings("Env"));
    BERTH_TRY_ASSIGN(c.entrypoint, f.optionalStrings("Entrypoint"));
    BERTH_TRY_ASSIGN(c.cmd, f.optionalStrings("Cmd"));
    BERTH_TRY_ASSIGN(c.volumes, f.keySet("Volumes"));
    BERTH_TRY_ASSIGN(c.workingDir, f.string("WorkingDir"));
    BERTH_TRY_ASSIGN(c.labels, f.stringMap("Labels"));
    BERTH_TRY_ASSIGN(c.stopSignal, f.string("StopSignal"));
    BERTH_TRY_ASSIGN(c.argsEscaped, f.boolean("ArgsEscaped"));
    if (const Json *health = f.find("Healthcheck")) {
        if (!health->is_object())
            return fail(f.error("Healthcheck", "must be an object"));
        BERTH_TRY_ASSIGN(c.healthcheck, readHealth(Fields(*health, f.pathOf("Healthcheck"))));
    }
    BERTH_TRY_ASSIGN(c.onBuild, f.strings("OnBuild"));
    BERTH_TRY_ASSIGN(c.shell, f.optionalStrings("Shell"));
    return c;
}

Result<ImageConfig::RootFs> readRootFs(const Fields &f)
{
    ImageConfig::RootFs r;
    BERTH_TRY_ASSIGN(r.type, f.string("type", true));
    if (r.type != "layers")
        return fail(f.error("type", "must be \"layers\", not \"" + r.type.substr(0, 80) + "\""));
    std::vector<std::string> ids;
    BERTH_TRY_ASSIGN(ids, f.strings("diff_ids"));
    for (std::size_t i = 0; i < ids.size(); ++i) {
        auto digest = Digest::parse(ids[i]);
        if (!digest)
            return fail(f.error("diff_ids[" + std::to_string(i) + "]", digest.error().message()));
        r.diffIds.push_back(*digest);
    }
    return r;
}

Result<HistoryEntry> readHistory(const Json &json, const std::string &path)
{
    if (!json.is_object())
        return fail(ErrorCode::Parse, path + ": must be an object");
    const Fields f(json, path);
    HistoryEntry h;
    BERTH_TRY_ASSIGN(h.created, f.string("created"));
    BERTH_TRY_ASSIGN(h.createdBy, f.string("created_by"));
    BERTH_TRY_ASSIGN(h.author, f.string("author"));
    BERTH_TRY_ASSIGN(h.comment, f.string("comment"));
    BERTH_TRY_ASSIGN(h.emptyLayer, f.boolean("empty_layer"));
    return h;
}

// An object member that must be an object when present.
Result<const Json *> objectMember(const Fields &f, std::string_view key, bool required)
{
    const Json *member = f.find(key);
    if (!member && required)
        return fail(f.error(key, "is required"));
    if (member && !member->is_object())
        return fail(f.error(key, "must be an object"));
    return member;
}

Result<ImageConfig> readConfig(const Json &json)
{
    const Fields f(json, "config");
    ImageConfig c;
    BERTH_TRY_ASSIGN(c.created, f.string("created"));
    BERTH_TRY_ASSIGN(c.author, f.string("author"));
    BERTH_TRY_ASSIGN(c.architecture, f.string("architecture", true));
    BERTH_TRY_ASSIGN(c.os, f.string("os", true));
    BERTH_TRY_ASSIGN(c.osVersion, f.string("os.version"));
    BERTH_TRY_ASSIGN(c.osFeatures, f.strings("os.features"));
    BERTH_TRY_ASSIGN(c.variant, f.string("variant"));
    const Json *member = nullptr;
    BERTH_TRY_ASSIGN(member, objectMember(f, "config", false));
    if (member)
        BERTH_TRY_ASSIGN(c.config, readContainerConfig(Fields(*member, f.pathOf("config"))));
    BERTH_TRY_ASSIGN(member, objectMember(f, "rootfs", true));
    BERTH_TRY_ASSIGN(c.rootfs, readRootFs(Fields(*member, f.pathOf("rootfs"))));
    if (const Json *history = f.find("history")) {
        if (!history->is_array())
            return fail(f.error("history", "must be a list"));
        for (std::size_t i = 0; i < history->size(); ++i) {
            auto entry =
                readHistory((*history)[i], f.pathOf("history") + "[" + std::to_string(i) + "]");
            if (!entry)
                return fail(std::move(entry).error());
            c.history.push_back(std::move(*entry));
        }
    }
    return c;
}

void putOptional(OrderedJson &json, const char *key,
                 const std::optional<std::vector<std::string>> &value)
{
    if (value)
        json[key] = *value;
}

OrderedJson writeHealth(const HealthConfig &h)
{
    OrderedJson json = OrderedJson::object();
    putNonEmpty(json, "Test", h.test);
    if (h.interval)
        json["Interval"] = h.interval;
    if (h.timeout)
        json["Timeout"] = h.timeout;
    if (h.startPeriod)
        json["StartPeriod"] = h.startPeriod;
    if (h.startInterval)
        json["StartInterval"] = h.startInterval;
    if (h.retries)
        json["Retries"] = h.retries;
    return json;
}

OrderedJson writeContainerConfig(const ContainerConfig &c)
{
    OrderedJson json = OrderedJson::object();
    putNonEmpty(json, "User", c.user);
    putNonEmpty(json, "ExposedPorts", c.exposedPorts);
    putNonEmpty(json, "Env", c.env);
    putOptional(json, "Entrypoint", c.entrypoint);
    putOptional(json, "Cmd", c.cmd);
    putNonEmpty(json, "Volumes", c.volumes);
    putNonEmpty(json, "WorkingDir", c.workingDir);
    putNonEmpty(json, "Labels", c.labels);
    putNonEmpty(json, "StopSignal", c.stopSignal);
    if (c.argsEscaped)
        json["ArgsEscaped"] = true;
    if (c.healthcheck)
        json["Healthcheck"] = writeHealth(*c.healthcheck);
    putNonEmpty(json, "OnBuild", c.onBuild);
    putOptional(json, "Shell", c.shell);
    return json;
}

OrderedJson writeHistory(const HistoryEntry &h)
{
    OrderedJson json = OrderedJson::object();
    putNonEmpty(json, "created", h.created);
    putNonEmpty(json, "created_by", h.createdBy);
    putNonEmpty(json, "author", h.author);
    putNonEmpty(json, "comment", h.comment);
    if (h.emptyLayer)
        json["empty_layer"] = true;
    return json;
}

} // namespace

Result<ImageConfig> parseConfig(std::string_view bytes)
{
    auto json = parseObject(bytes, "config");
    if (!json)
        return fail(std::move(json).error());
    try {
        return readConfig(*json);
    } catch (const Json::exception &e) {
        return fail(ErrorCode::Parse, std::string("config: ") + e.what());
    }
}

std::string toJson(const ImageConfig &c)
{
    OrderedJson json = OrderedJson::object();
    putNonEmpty(json, "created", c.created);
    putNonEmpty(json, "author", c.author);
    Platform platform{c.os, c.architecture, c.variant, c.osVersion, c.osFeatures};
    writePlatform(json, platform);
    json["config"] = writeContainerConfig(c.config);
    OrderedJson rootfs = OrderedJson::object();
    rootfs["type"] = c.rootfs.type;
    rootfs["diff_ids"] = OrderedJson::array();
    for (const Digest &id : c.rootfs.diffIds)
        rootfs["diff_ids"].push_back(id.toString());
    json["rootfs"] = std::move(rootfs);
    if (!c.history.empty()) {
        json["history"] = OrderedJson::array();
        for (const HistoryEntry &h : c.history)
            json["history"].push_back(writeHistory(h));
    }
    return dump(json);
}

} // namespace Berth::Image
