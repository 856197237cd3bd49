#include "image/imageconfig.h"

#include <QFile>
#include <QTest>

using namespace Berth;
using namespace Berth::Image;

namespace {

std::string readFixture(const QString &name)
{
    QFile file(QStringLiteral(BERTH_TEST_DATA_DIR "/image/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open fixture %s", qPrintable(file.fileName()));
    return file.readAll().toStdString();
}

using Strings = std::vector<std::string>;

} // namespace

class TestImageConfig : public QObject
{
    Q_OBJECT
private slots:
    void readsDockerConfig();
    void keepsEmptyEntrypointApartFromNone();
    void roundTrips_data();
    void roundTrips();
    void refuses_data();
    void refuses();
    void writesCanonicalJson();
};

void TestImageConfig::readsDockerConfig()
{
    const auto c = parseConfig(readFixture("valid/docker-config.json"));
    QVERIFY2(c.has_value(), c ? "" : c.error().message().c_str());
    QCOMPARE(c->architecture, std::string("amd64"));
    QCOMPARE(c->os, std::string("linux"));
    QCOMPARE(c->created, std::string("2024-02-27T18:27:10.123456789Z"));
    QCOMPARE(c->config.user, std::string("app"));
    QCOMPARE(c->config.exposedPorts, (std::set<std::string>{"8080/tcp", "9090/udp"}));
    QCOMPARE(c->config.env.size(), std::size_t(2));
    // "Cmd": null means no CMD, unlike "Cmd": [].
    QVERIFY(!c->config.cmd.has_value());
    QCOMPARE(c->config.entrypoint, std::optional(Strings{"/usr/local/bin/app", "--serve"}));
    QCOMPARE(c->config.volumes, std::set<std::string>{"/data"});
    QCOMPARE(c->config.workingDir, std::string("/srv"));
    QCOMPARE(c->config.labels.at("maintainer"), std::string("team@example.com"));
    QCOMPARE(c->config.stopSignal, std::string("SIGTERM"));
    QCOMPARE(c->config.shell, std::optional(Strings{"/bin/bash", "-c"}));
    QVERIFY(c->config.onBuild.empty());
    QVERIFY(c->config.healthcheck.has_value());
    QCOMPARE(c->config.healthcheck->test.at(0), std::string("CMD-SHELL"));
    QCOMPARE(c->config.healthcheck->interval, std::int64_t(30'000'000'000));
    QCOMPARE(c->config.healthcheck->startPeriod, std::int64_t(10'000'000'000));
    QCOMPARE(c->config.healthcheck->retries, 3);
    QCOMPARE(c->rootfs.diffIds.size(), std::size_t(2));
    QCOMPARE(c->rootfs.diffIds.at(0), Digest::sha256("diff1"));
    QCOMPARE(c->history.size(), std::size_t(4));
    QVERIFY(c->history.at(1).emptyLayer);
    QVERIFY(!c->history.at(2).emptyLayer);
    QCOMPARE(c->history.at(2).comment, std::string("buildkit.dockerfile.v0"));
}

void TestImageConfig::keepsEmptyEntrypointApartFromNone()
{
    const auto c = parseConfig(readFixture("valid/oci-config.json"));
    QVERIFY2(c.has_value(), c ? "" : c.error().message().c_str());
    // ENTRYPOINT [] resets an inherited entrypoint: it must survive as an empty list.
    QVERIFY(c->config.entrypoint.has_value());
    QVERIFY(c->config.entrypoint->empty());
    QCOMPARE(c->variant, std::string("v8"));
    QCOMPARE(c->author, std::string("Berth"));
    const auto again = parseConfig(toJson(*c));
    QVERIFY(again.has_value());
    QVERIFY(again->config.entrypoint.has_value() && again->config.entrypoint->empty());
    QVERIFY(!again->config.shell.has_value());
}

void TestImageConfig::roundTrips_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("a Docker config with a health check and history") << "valid/docker-config.json";
    QTest::newRow("an OCI config with an empty entrypoint") << "valid/oci-config.json";
    QTest::newRow("a scratch image without layers or config") << "valid/scratch-config.json";
}

void TestImageConfig::roundTrips()
{
    QFETCH(QString, file);
    const auto c = parseConfig(readFixture(file));
    QVERIFY2(c.has_value(), c ? "" : c.error().message().c_str());
    const std::string json = toJson(*c);
    const auto again = parseConfig(json);
    QVERIFY2(again.has_value(), json.c_str());
    QVERIFY(*again == *c);
    QCOMPARE(toJson(*again), json);
}

void TestImageConfig::refuses_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("error");
    QTest::newRow("a config without rootfs")
        << readFixture("invalid/config-missing-rootfs.json").c_str()
        << "config: rootfs: is required";
    QTest::newRow("a short diff id") << readFixture("invalid/config-bad-diff-id.json").c_str()
                                     << "config: rootfs.diff_ids[0]: invalid digest";
    QTest::newRow("a Cmd of numbers") << readFixture("invalid/config-cmd-not-strings.json").c_str()
                                      << "config: config.Cmd: must be a list of strings";
    QTest::newRow("no architecture") << R"({"os":"linux","rootfs":{"type":"layers"}})"
                                     << "config: architecture: is required";
    QTest::newRow("a rootfs type other than layers")
        << R"({"architecture":"amd64","os":"linux","rootfs":{"type":"zfs"}})"
        << "must be \"layers\", not \"zfs\"";
    QTest::newRow("a config that is a list")
        << R"({"architecture":"amd64","os":"linux","config":[],"rootfs":{"type":"layers"}})"
        << "config: config: must be an object";
    QTest::newRow("negative health check retries")
        << R"({"architecture":"amd64","os":"linux","config":{"Healthcheck":{"Retries":-1}},)"
           R"("rootfs":{"type":"layers"}})"
        << "Healthcheck.Retries: out of range";
    QTest::newRow("a history entry that is a string")
        << R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers"},"history":["x"]})"
        << "config: history[0]: must be an object";
    QTest::newRow("an empty document") << ""
                                       << "config: invalid JSON";
}

void TestImageConfig::refuses()
{
    QFETCH(QString, input);
    QFETCH(QString, error);
    const auto c = parseConfig(input.toStdString());
    QVERIFY(!c.has_value());
    QCOMPARE(c.error().code(), ErrorCode::Parse);
    QVERIFY2(QString::fromStdString(c.error().message()).contains(error),
             c.error().message().c_str());
}

void TestImageConfig::writesCanonicalJson()
{
    ImageConfig c;
    c.created = "2024-01-01T00:00:00Z";
    c.architecture = "arm";
    c.variant = "v7";
    c.os = "linux";
    c.config.env = {"A=1"};
    c.config.cmd = Strings{};
    c.config.exposedPorts = {"80/tcp"};
    c.rootfs.diffIds = {Digest::sha256("x")};
    c.history.push_back({"2024-01-01T00:00:00Z", "RUN true", "", "", true});
    // The OCI Go struct's order; Cmd [] is written, an unset Entrypoint is not.
    const std::string expected =
        R"({"created":"2024-01-01T00:00:00Z","architecture":"arm","os":"linux","variant":"v7",)"
        R"("config":{"ExposedPorts":{"80/tcp":{}},"Env":["A=1"],"Cmd":[]},)"
        R"("rootfs":{"type":"layers","diff_ids":[")" +
        Digest::sha256("x").toString() +
        R"("]},"history":[{"created":"2024-01-01T00:00:00Z","created_by":"RUN true",)"
        R"("empty_layer":true}]})";
    QCOMPARE(QString::fromStdString(toJson(c)), QString::fromStdString(expected));
}

QTEST_GUILESS_MAIN(TestImageConfig)
#include "tst_imageconfig.moc"
