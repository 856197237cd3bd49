#include "image/manifest.h"
#include "image/mediatype.h"

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

QString q(const std::string &text)
{
    return QString::fromStdString(text);
}

QString q(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

} // namespace

class TestManifest : public QObject
{
    Q_OBJECT
private slots:
    void parsesFixtures_data();
    void parsesFixtures();
    void refusesFixtures_data();
    void refusesFixtures();
    void checksHints_data();
    void checksHints();
    void selectsPlatform_data();
    void selectsPlatform();
    void readsEveryField();
    void writesCanonicalJson();
    void checksExpectedDigest();
};

void TestManifest::parsesFixtures_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("hint");
    QTest::addColumn<bool>("isIndex");
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("mediaType");

    QTest::newRow("an OCI image manifest") << "valid/oci-manifest.json"
                                           << "" << false << 2 << q(MediaType::OciManifest);
    QTest::newRow("a Docker schema 2 manifest with its Content-Type")
        << "valid/docker-manifest.json" << q(MediaType::DockerManifest) << false << 1
        << q(MediaType::DockerManifest);
    // Without a declared mediaType the document is an OCI manifest.
    QTest::newRow("an OCI manifest that does not declare its media type")
        << "valid/oci-manifest-without-mediatype.json"
        << "" << false << 1 << q(MediaType::OciManifest);
    QTest::newRow("an undeclared manifest takes the media type of the hint")
        << "valid/oci-manifest-without-mediatype.json" << q(MediaType::DockerManifest) << false << 1
        << q(MediaType::DockerManifest);
    QTest::newRow("an artifact manifest with a subject and an empty config")
        << "valid/oci-artifact-manifest.json" << q(MediaType::OciManifest) << false << 1
        << q(MediaType::OciManifest);
    QTest::newRow("a multi-platform OCI index with an attestation")
        << "valid/oci-index-multiplatform.json" << q(MediaType::OciIndex) << true << 8
        << q(MediaType::OciIndex);
    QTest::newRow("a Docker manifest list")
        << "valid/docker-manifest-list.json" << q(MediaType::DockerManifestList) << true << 4
        << q(MediaType::DockerManifestList);
    QTest::newRow("the index.json docker save writes") << "valid/docker-save-index.json"
                                                       << "" << true << 1 << q(MediaType::OciIndex);
    QTest::newRow("an empty index without a media type")
        << "valid/oci-index-without-mediatype.json"
        << "" << true << 0 << q(MediaType::OciIndex);
    // A hint that names no manifest type (a generic Content-Type) is not held against it.
    QTest::newRow("a generic JSON content type is ignored")
        << "valid/oci-manifest.json"
        << "application/json" << false << 2 << q(MediaType::OciManifest);
}

void TestManifest::parsesFixtures()
{
    QFETCH(QString, file);
    QFETCH(QString, hint);
    QFETCH(bool, isIndex);
    QFETCH(int, count);
    QFETCH(QString, mediaType);
    const std::string bytes = readFixture(file);
    const auto doc = ManifestDocument::parse(bytes, hint.toStdString());
    QVERIFY2(doc.has_value(), doc ? "" : doc.error().message().c_str());
    QCOMPARE(doc->digest, Digest::sha256(bytes));
    QCOMPARE(doc->isIndex(), isIndex);
    QCOMPARE(q(doc->mediaType), mediaType);
    QCOMPARE(doc->descriptor().size, qint64(bytes.size()));
    QCOMPARE(doc->descriptor().digest, doc->digest);

    // Our own output parses to the same value and prints to the same bytes again.
    std::string json;
    if (isIndex) {
        QCOMPARE(int(doc->index()->manifests.size()), count);
        json = toJson(*doc->index());
        const auto again = parseIndex(json, hint.toStdString());
        QVERIFY2(again.has_value(), json.c_str());
        QVERIFY(*again == *doc->index());
        QCOMPARE(toJson(*again), json);
    } else {
        QCOMPARE(int(doc->manifest()->layers.size()), count);
        json = toJson(*doc->manifest());
        const auto again = parseManifest(json, hint.toStdString());
        QVERIFY2(again.has_value(), json.c_str());
        QVERIFY(*again == *doc->manifest());
        QCOMPARE(toJson(*again), json);
    }
}

void TestManifest::refusesFixtures_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("error");

    QTest::newRow("a document that is both a manifest and an index")
        << "invalid/ambiguous-manifest-and-index.json" << int(ErrorCode::Parse)
        << "ambiguous: both a manifest and an index";
    QTest::newRow("a Docker schema 1 manifest")
        << "invalid/schema1-manifest.json" << int(ErrorCode::Unsupported)
        << "schema 1 is deprecated and not supported";
    QTest::newRow("a layer with a negative size")
        << "invalid/negative-size.json" << int(ErrorCode::Parse)
        << "manifest: layers[0].size: must not be negative";
    QTest::newRow("a path hidden in a config digest")
        << "invalid/path-in-digest.json" << int(ErrorCode::Parse)
        << "manifest: config.digest: invalid digest";
    QTest::newRow("a manifest without a config")
        << "invalid/missing-config.json" << int(ErrorCode::Parse) << "config: is required";
    QTest::newRow("schemaVersion 3")
        << "invalid/schema-version-3.json" << int(ErrorCode::Unsupported)
        << "schemaVersion 3 is not supported";
    QTest::newRow("an index media type on a manifest's members")
        << "invalid/index-type-with-layers.json" << int(ErrorCode::Parse)
        << "names an index but the document is an image manifest";
    QTest::newRow("a fractional size") << "invalid/fractional-size.json" << int(ErrorCode::Parse)
                                       << "manifests[0].size: must be an integer";
    QTest::newRow("an unknown declared media type")
        << "invalid/unknown-mediatype.json" << int(ErrorCode::Unsupported)
        << "unsupported media type \"application/vnd.example.thing+json\"";
    QTest::newRow("a platform without an os")
        << "invalid/platform-without-os.json" << int(ErrorCode::Parse)
        << "manifests[0].platform.os: is required";
    QTest::newRow("truncated JSON")
        << "invalid/truncated.json" << int(ErrorCode::Parse) << "invalid JSON";
    QTest::newRow("a top-level array")
        << "invalid/top-level-array.json" << int(ErrorCode::Parse) << "expected a JSON object";
}

void TestManifest::refusesFixtures()
{
    QFETCH(QString, file);
    QFETCH(int, code);
    QFETCH(QString, error);
    const auto parsed = parseManifestOrIndex(readFixture(file));
    QVERIFY(!parsed.has_value());
    QVERIFY2(q(parsed.error().message()).contains(error), parsed.error().message().c_str());
    QCOMPARE(int(parsed.error().code()), code);
}

void TestManifest::checksHints_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("hint");
    QTest::addColumn<QString>("error");

    const QString config = QStringLiteral(
        R"("config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":2,)"
        R"("digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"},)"
        R"("layers":[])");
    const QString oci =
        R"({"schemaVersion":2,"mediaType":")" + q(MediaType::OciManifest) + R"(",)" + config + "}";
    const QString bare = R"({"schemaVersion":2,)" + config + "}";
    QTest::newRow("a declared type equal to the hint") << oci << q(MediaType::OciManifest) << "";
    QTest::newRow("a declared OCI manifest fetched as a Docker manifest")
        << oci << q(MediaType::DockerManifest)
        << "declared media type \"application/vnd.oci.image.manifest.v1+json\" contradicts";
    QTest::newRow("a declared manifest fetched as an index")
        << oci << q(MediaType::OciIndex) << "contradicts the expected";
    QTest::newRow("an undeclared manifest fetched as an index")
        << bare << q(MediaType::OciIndex) << "names an index but the document is an image manifest";
    QTest::newRow("a schema 1 Content-Type")
        << bare << q(MediaType::DockerSchema1SignedManifest) << "schema 1";
    QTest::newRow("an index asked for as a manifest") << R"({"schemaVersion":2,"manifests":[]})"
                                                      << ""
                                                      << "expected an image manifest, got an index";
    QTest::newRow("an empty object") << "{}"
                                     << ""
                                     << "schemaVersion: is required";
    QTest::newRow("neither manifest nor index members") << R"({"schemaVersion":2})"
                                                        << ""
                                                        << "neither a manifest";
    QTest::newRow("a string schemaVersion") << R"({"schemaVersion":"2","layers":[]})"
                                            << ""
                                            << "schemaVersion: must be an integer";
    QTest::newRow("layers that are not a list")
        << R"({"schemaVersion":2,"config":{"mediaType":"a/b","digest":"sha256:)" +
               QString(64, QLatin1Char('0')) + R"(","size":1},"layers":{}})"
        << ""
        << "layers: must be a list";
    QTest::newRow("a media type that is not type/subtype")
        << R"({"schemaVersion":2,"config":{"mediaType":"nonsense","digest":"sha256:)" +
               QString(64, QLatin1Char('0')) + R"(","size":1},"layers":[]})"
        << ""
        << "config.mediaType: \"nonsense\" is not a media type";
    QTest::newRow("a size too large for 64 bits")
        << R"({"schemaVersion":2,"config":{"mediaType":"a/b","digest":"sha256:)" +
               QString(64, QLatin1Char('0')) + R"(","size":18446744073709551615},"layers":[]})"
        << ""
        << "config.size: is too large";
    QTest::newRow("an annotation that is not a string")
        << R"({"schemaVersion":2,"annotations":{"a":1},"config":{"mediaType":"a/b","digest":"sha256:)" +
               QString(64, QLatin1Char('0')) + R"(","size":1},"layers":[]})"
        << ""
        << "annotations: \"a\" must be a string";
    // Members we do not know are skipped, not refused.
    QTest::newRow("unknown members are ignored")
        << R"({"schemaVersion":2,"future":{"x":[1]},"config":{"mediaType":"a/b","extra":true,)"
           R"("digest":"sha256:)" +
               QString(64, QLatin1Char('0')) + R"(","size":1},"layers":[]})"
        << ""
        << "";
}

void TestManifest::checksHints()
{
    QFETCH(QString, json);
    QFETCH(QString, hint);
    QFETCH(QString, error);
    const auto parsed = parseManifest(json.toStdString(), hint.toStdString());
    if (error.isEmpty()) {
        QVERIFY2(parsed.has_value(), parsed ? "" : parsed.error().message().c_str());
        return;
    }
    QVERIFY(!parsed.has_value());
    QVERIFY2(q(parsed.error().message()).contains(error), parsed.error().message().c_str());
}

void TestManifest::selectsPlatform_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("platform");
    QTest::addColumn<QString>("expected");

    const QString oci = "valid/oci-index-multiplatform.json";
    const QString docker = "valid/docker-manifest-list.json";
    QTest::newRow("amd64 picks the amd64 image") << oci << "linux/amd64"
                                                 << "m-amd64";
    QTest::newRow("x86_64 is amd64") << oci << "linux/x86_64"
                                     << "m-amd64";
    // arm64 images say v8 or nothing; both mean the same.
    QTest::newRow("arm64 picks the arm64/v8 image") << oci << "linux/arm64"
                                                    << "m-arm64";
    QTest::newRow("aarch64/v8 picks the arm64 image") << oci << "linux/aarch64/v8"
                                                      << "m-arm64";
    QTest::newRow("arm without a variant means v7") << oci << "linux/arm"
                                                    << "m-arm-v7";
    QTest::newRow("arm/v6 picks v6 exactly") << oci << "linux/arm/v6"
                                             << "m-arm-v6";
    QTest::newRow("arm/v8 runs the newest older variant") << oci << "linux/arm/v8"
                                                          << "m-arm-v7";
    QTest::newRow("arm/v7 falls back to v5 when that is all there is") << docker << "linux/arm/v7"
                                                                       << "d-arm32v5";
    QTest::newRow("a Windows image by os") << oci << "windows/amd64"
                                           << "m-windows";
    QTest::newRow("i386 is 386") << docker << "linux/i386"
                                 << "d-386";
    QTest::newRow("no riscv64 image") << oci << "linux/riscv64"
                                      << "";
    QTest::newRow("arm/v5 cannot run v6 or v7") << oci << "linux/arm/v5"
                                                << "";
    // The attestation's unknown/unknown platform never matches a real one.
    QTest::newRow("no darwin image") << oci << "darwin/amd64"
                                     << "";
}

void TestManifest::selectsPlatform()
{
    QFETCH(QString, file);
    QFETCH(QString, platform);
    QFETCH(QString, expected);
    const auto index = parseIndex(readFixture(file));
    QVERIFY2(index.has_value(), index ? "" : index.error().message().c_str());
    const auto wanted = Platform::parse(platform.toStdString());
    QVERIFY(wanted.has_value());
    const Descriptor *chosen = index->select(*wanted);
    if (expected.isEmpty()) {
        QVERIFY2(!chosen, chosen ? chosen->digest.toString().c_str() : "");
        return;
    }
    QVERIFY(chosen);
    QCOMPARE(chosen->digest, Digest::sha256(expected.toStdString()));
}

void TestManifest::readsEveryField()
{
    const auto m = parseManifest(readFixture("valid/oci-artifact-manifest.json"));
    QVERIFY2(m.has_value(), m ? "" : m.error().message().c_str());
    QCOMPARE(q(m->artifactType), QString("application/vnd.example.sbom.v1+json"));
    QCOMPARE(q(m->config.mediaType), q(MediaType::OciEmpty));
    QCOMPARE(q(m->config.data), QString("e30="));
    QCOMPARE(m->config.size, qint64(2));
    QVERIFY(m->subject.has_value());
    QCOMPARE(m->subject->size, qint64(1234));
    QCOMPARE(q(m->layers.at(0).annotations.at("org.opencontainers.image.title")),
             QString("sbom.spdx.json"));
    QCOMPARE(q(m->annotations.at("org.opencontainers.image.created")),
             QString("2024-03-02T00:00:00Z"));

    const auto index = parseIndex(readFixture("valid/oci-index-multiplatform.json"));
    QVERIFY(index.has_value());
    const Descriptor &windows = index->manifests.at(6);
    QVERIFY(windows.platform.has_value());
    QCOMPARE(q(windows.platform->osVersion), QString("10.0.20348.2227"));
    QCOMPARE(windows.platform->osFeatures, std::vector<std::string>{"win32k"});
    QCOMPARE(q(index->manifests.at(3).platform->variant), QString("v8"));

    const auto plain = parseManifest(readFixture("valid/oci-manifest-without-mediatype.json"));
    QVERIFY(plain.has_value());
    QCOMPARE(plain->layers.at(0).urls, std::vector<std::string>{"https://mirror.example/l.tgz"});
}

void TestManifest::writesCanonicalJson()
{
    Manifest m;
    m.mediaType = std::string(MediaType::OciManifest);
    m.config.mediaType = std::string(MediaType::OciConfig);
    m.config.digest = Digest::sha256("config");
    m.config.size = 7;
    Descriptor layer;
    layer.mediaType = std::string(MediaType::OciLayerGzip);
    layer.digest = Digest::sha256("layer");
    layer.size = 42;
    layer.annotations = {{"z", "last"}, {"a", "first"}};
    m.layers.push_back(layer);
    // The Go structs' order: schemaVersion, mediaType, config, layers; annotation keys sorted.
    const std::string expected =
        R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",)"
        R"("config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":")" +
        Digest::sha256("config").toString() +
        R"(","size":7},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip",)"
        R"("digest":")" +
        Digest::sha256("layer").toString() +
        R"(","size":42,"annotations":{"a":"first","z":"last"}}]})";
    QCOMPARE(q(toJson(m)), q(expected));

    Index index;
    Descriptor entry = m.config;
    entry.mediaType = std::string(MediaType::OciManifest);
    entry.platform = Platform{"linux", "arm", "v7", "", {}};
    index.manifests.push_back(entry);
    QCOMPARE(q(toJson(index)),
             R"({"schemaVersion":2,"manifests":[{"mediaType":")" + q(MediaType::OciManifest) +
                 R"(","digest":")" + q(entry.digest.toString()) +
                 R"(","size":7,"platform":{"architecture":"arm","os":"linux","variant":"v7"}}]})");
}

void TestManifest::checksExpectedDigest()
{
    const std::string bytes = readFixture("valid/docker-manifest.json");
    const auto good = ManifestDocument::parse(bytes, {}, Digest::sha256(bytes));
    QVERIFY(good.has_value());
    QCOMPARE(good->bytes, bytes);
    // One byte more (a trailing newline) is other content, even though it parses the same.
    const auto bad = ManifestDocument::parse(bytes + "\n", {}, Digest::sha256(bytes));
    QVERIFY(!bad.has_value());
    QCOMPARE(bad.error().code(), ErrorCode::Invalid);
    QVERIFY(q(bad.error().message()).contains("digest mismatch"));
}

QTEST_GUILESS_MAIN(TestManifest)
#include "tst_manifest.moc"
