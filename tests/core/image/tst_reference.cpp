#include "image/reference.h"

#include <QTest>

using namespace Berth;
using Berth::Image::Reference;

namespace {

const QString s_hex =
    QStringLiteral("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
const QString s_digest = QStringLiteral("sha256:") + s_hex;

QString q(const std::string &text)
{
    return QString::fromStdString(text);
}

} // namespace

class TestReference : public QObject
{
    Q_OBJECT
private slots:
    void normalises_data();
    void normalises();
    void refuses_data();
    void refuses();
    void familiarFormParsesBack_data() { normalises_data(); }
    void familiarFormParsesBack();
    void buildsVariants();
    void tagRules_data();
    void tagRules();
};

void TestReference::normalises_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("domain");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("tag");
    QTest::addColumn<QString>("digest");
    QTest::addColumn<QString>("full");
    QTest::addColumn<QString>("familiar");

    QTest::newRow("a bare official image goes to docker.io/library") << "busybox"
                                                                     << "docker.io"
                                                                     << "library/busybox"
                                                                     << ""
                                                                     << ""
                                                                     << "docker.io/library/busybox"
                                                                     << "busybox";
    QTest::newRow("an official image with a tag") << "busybox:1.36"
                                                  << "docker.io"
                                                  << "library/busybox"
                                                  << "1.36"
                                                  << ""
                                                  << "docker.io/library/busybox:1.36"
                                                  << "busybox:1.36";
    QTest::newRow("a user repository on Docker Hub") << "user/app:v2"
                                                     << "docker.io"
                                                     << "user/app"
                                                     << "v2"
                                                     << ""
                                                     << "docker.io/user/app:v2"
                                                     << "user/app:v2";
    QTest::newRow("docker.io spelled out with an official image") << "docker.io/busybox"
                                                                  << "docker.io"
                                                                  << "library/busybox"
                                                                  << ""
                                                                  << ""
                                                                  << "docker.io/library/busybox"
                                                                  << "busybox";
    QTest::newRow("docker.io/library spelled out") << "docker.io/library/busybox:latest"
                                                   << "docker.io"
                                                   << "library/busybox"
                                                   << "latest"
                                                   << ""
                                                   << "docker.io/library/busybox:latest"
                                                   << "busybox:latest";
    // The legacy index host is the same registry.
    QTest::newRow("index.docker.io becomes docker.io") << "index.docker.io/library/alpine:3"
                                                       << "docker.io"
                                                       << "library/alpine"
                                                       << "3"
                                                       << ""
                                                       << "docker.io/library/alpine:3"
                                                       << "alpine:3";
    QTest::newRow("index.docker.io with an official short name") << "index.docker.io/alpine"
                                                                 << "docker.io"
                                                                 << "library/alpine"
                                                                 << ""
                                                                 << ""
                                                                 << "docker.io/library/alpine"
                                                                 << "alpine";
    QTest::newRow("a registry with a port") << "localhost:5000/app:1"
                                            << "localhost:5000"
                                            << "app"
                                            << "1"
                                            << ""
                                            << "localhost:5000/app:1"
                                            << "localhost:5000/app:1";
    QTest::newRow("localhost alone is a registry") << "localhost/app"
                                                   << "localhost"
                                                   << "app"
                                                   << ""
                                                   << ""
                                                   << "localhost/app"
                                                   << "localhost/app";
    QTest::newRow("a dotted host is a registry") << "ghcr.io/owner/tool:main"
                                                 << "ghcr.io"
                                                 << "owner/tool"
                                                 << "main"
                                                 << ""
                                                 << "ghcr.io/owner/tool:main"
                                                 << "ghcr.io/owner/tool:main";
    QTest::newRow("a deep path on a private registry")
        << "registry.example.com:8443/team/group/app:2024.01"
        << "registry.example.com:8443"
        << "team/group/app"
        << "2024.01"
        << ""
        << "registry.example.com:8443/team/group/app:2024.01"
        << "registry.example.com:8443/team/group/app:2024.01";
    QTest::newRow("an IPv4 registry with a port") << "10.0.0.2:5000/app"
                                                  << "10.0.0.2:5000"
                                                  << "app"
                                                  << ""
                                                  << ""
                                                  << "10.0.0.2:5000/app"
                                                  << "10.0.0.2:5000/app";
    QTest::newRow("an IPv6 registry with a port") << "[::1]:5000/app:x"
                                                  << "[::1]:5000"
                                                  << "app"
                                                  << "x"
                                                  << ""
                                                  << "[::1]:5000/app:x"
                                                  << "[::1]:5000/app:x";
    QTest::newRow("an IPv6 registry without a port") << "[fe80::1]/app"
                                                     << "[fe80::1]"
                                                     << "app"
                                                     << ""
                                                     << ""
                                                     << "[fe80::1]/app"
                                                     << "[fe80::1]/app";
    QTest::newRow("a digest without a tag")
        << "busybox@" + s_digest << "docker.io"
        << "library/busybox"
        << "" << s_digest << "docker.io/library/busybox@" + s_digest << "busybox@" + s_digest;
    QTest::newRow("a tag and a digest together")
        << "busybox:1.36@" + s_digest << "docker.io"
        << "library/busybox"
        << "1.36" << s_digest << "docker.io/library/busybox:1.36@" + s_digest
        << "busybox:1.36@" + s_digest;
    QTest::newRow("a digest on a registry with a port")
        << "localhost:5000/a/b@" + s_digest << "localhost:5000"
        << "a/b"
        << "" << s_digest << "localhost:5000/a/b@" + s_digest << "localhost:5000/a/b@" + s_digest;
    // No slash: "localhost:5000" is the repository "localhost" with the tag "5000".
    QTest::newRow("a host and port without a path is a name and a tag")
        << "localhost:5000"
        << "docker.io"
        << "library/localhost"
        << "5000"
        << ""
        << "docker.io/library/localhost:5000"
        << "localhost:5000";
    // A first component with upper case is taken as a registry (domains are case-blind).
    QTest::newRow("an upper-case first component is a registry") << "Registry/app"
                                                                 << "Registry"
                                                                 << "app"
                                                                 << ""
                                                                 << ""
                                                                 << "Registry/app"
                                                                 << "Registry/app";
    QTest::newRow("upper case in a tag is allowed") << "app:Release-1"
                                                    << "docker.io"
                                                    << "library/app"
                                                    << "Release-1"
                                                    << ""
                                                    << "docker.io/library/app:Release-1"
                                                    << "app:Release-1";
    QTest::newRow("a tag may start with an underscore") << "app:_x"
                                                        << "docker.io"
                                                        << "library/app"
                                                        << "_x"
                                                        << ""
                                                        << "docker.io/library/app:_x"
                                                        << "app:_x";
    QTest::newRow("a 128-character tag is the longest")
        << "app:" + QString(128, QLatin1Char('t')) << "docker.io"
        << "library/app" << QString(128, QLatin1Char('t')) << ""
        << "docker.io/library/app:" + QString(128, QLatin1Char('t'))
        << "app:" + QString(128, QLatin1Char('t'));
    QTest::newRow("path separators: dot, underscore, double underscore and dashes")
        << "user/a.b_c__d---e"
        << "docker.io"
        << "user/a.b_c__d---e"
        << ""
        << ""
        << "docker.io/user/a.b_c__d---e"
        << "user/a.b_c__d---e";
    // library/ with a nested path is not an official image, so it keeps its prefix.
    QTest::newRow("library with a nested path keeps its prefix")
        << "library/distros/ubuntu"
        << "docker.io"
        << "library/distros/ubuntu"
        << ""
        << ""
        << "docker.io/library/distros/ubuntu"
        << "library/distros/ubuntu";
    QTest::newRow("library/ spelled out in the short form") << "library/busybox"
                                                            << "docker.io"
                                                            << "library/busybox"
                                                            << ""
                                                            << ""
                                                            << "docker.io/library/busybox"
                                                            << "busybox";
    QTest::newRow("a one-letter registry component with a dot") << "a.b/c"
                                                                << "a.b"
                                                                << "c"
                                                                << ""
                                                                << ""
                                                                << "a.b/c"
                                                                << "a.b/c";
    QTest::newRow("a registry with a dash inside a component") << "my-registry.local/x/y:1"
                                                               << "my-registry.local"
                                                               << "x/y"
                                                               << "1"
                                                               << ""
                                                               << "my-registry.local/x/y:1"
                                                               << "my-registry.local/x/y:1";
    // Shortened to "a.b/c", the name would move to the registry a.b.
    QTest::newRow("a Hub repository whose first component looks like a registry")
        << "docker.io/a.b/c"
        << "docker.io"
        << "a.b/c"
        << ""
        << ""
        << "docker.io/a.b/c"
        << "docker.io/a.b/c";
    QTest::newRow("a Hub repository named localhost/x") << "docker.io/localhost/x:1"
                                                        << "docker.io"
                                                        << "localhost/x"
                                                        << "1"
                                                        << ""
                                                        << "docker.io/localhost/x:1"
                                                        << "docker.io/localhost/x:1";
    QTest::newRow("digits-only path components") << "123/456"
                                                 << "docker.io"
                                                 << "123/456"
                                                 << ""
                                                 << ""
                                                 << "docker.io/123/456"
                                                 << "123/456";
}

void TestReference::normalises()
{
    QFETCH(QString, input);
    QFETCH(QString, domain);
    QFETCH(QString, path);
    QFETCH(QString, tag);
    QFETCH(QString, digest);
    QFETCH(QString, full);
    QFETCH(QString, familiar);
    const auto ref = Reference::parse(input.toStdString());
    QVERIFY2(ref.has_value(), ref ? "" : ref.error().message().c_str());
    QCOMPARE(q(ref->domain()), domain);
    QCOMPARE(q(ref->path()), path);
    QCOMPARE(q(ref->tag()), tag);
    QCOMPARE(q(ref->digest().toString()), digest);
    QCOMPARE(q(ref->name()), domain + "/" + path);
    QCOMPARE(q(ref->toString()), full);
    QCOMPARE(q(ref->familiar()), familiar);
}

void TestReference::familiarFormParsesBack()
{
    QFETCH(QString, input);
    const auto ref = Reference::parse(input.toStdString());
    QVERIFY(ref.has_value());
    // Both printed forms name the same reference again.
    const auto fromFamiliar = Reference::parse(ref->familiar());
    QVERIFY2(fromFamiliar.has_value(), ref->familiar().c_str());
    QVERIFY(*fromFamiliar == *ref);
    const auto fromFull = Reference::parse(ref->toString());
    QVERIFY2(fromFull.has_value(), ref->toString().c_str());
    QVERIFY(*fromFull == *ref);
}

void TestReference::refuses_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("error");

    QTest::newRow("an empty reference") << ""
                                        << "must have at least one component";
    QTest::newRow("upper case in an official name") << "Busybox"
                                                    << "must be lowercase";
    QTest::newRow("upper case in a user repository") << "user/MyApp:1"
                                                     << "must be lowercase";
    QTest::newRow("upper case in the path of a registry") << "ghcr.io/Owner/app"
                                                          << "must be lowercase";
    QTest::newRow("a bad digest hex") << "busybox@sha256:xyz"
                                      << "may only hold 0-9 and a-f";
    // A path smuggled in as a digest must never reach the content store.
    QTest::newRow("a path in place of the digest hex") << "busybox@sha256:../x"
                                                       << "may only hold 0-9 and a-f";
    QTest::newRow("a short digest") << "busybox@sha256:abc"
                                    << "3 hex characters";
    QTest::newRow("an unknown digest algorithm")
        << "busybox@md5:" + s_hex << "unsupported algorithm \"md5\"";
    QTest::newRow("upper-case digest hex")
        << "busybox@sha256:" + s_hex.toUpper() << "may only hold 0-9 and a-f";
    QTest::newRow("an empty digest") << "busybox@"
                                     << "invalid digest";
    QTest::newRow("two digests") << "busybox@" + s_digest + "@" + s_digest << "invalid digest";
    QTest::newRow("a 64-hex image id") << s_hex << "image id";
    QTest::newRow("an empty tag") << "busybox:"
                                  << "invalid tag";
    QTest::newRow("a tag starting with a dot") << "busybox:.x"
                                               << "invalid tag";
    QTest::newRow("a tag starting with a dash") << "busybox:-x"
                                                << "invalid tag";
    QTest::newRow("a 129-character tag")
        << "app:" + QString(129, QLatin1Char('t')) << "invalid tag";
    QTest::newRow("a tag with a plus sign") << "app:1+2"
                                            << "invalid tag";
    QTest::newRow("two tags") << "app:1:2"
                              << "invalid tag";
    QTest::newRow("a leading slash") << "/app"
                                     << "invalid repository name component \"/\"";
    QTest::newRow("a trailing slash") << "user/app/"
                                      << "invalid repository name component";
    QTest::newRow("a double slash") << "user//app"
                                    << "invalid repository name component";
    QTest::newRow("a component starting with a dot") << "user/.app"
                                                     << "component \".app\"";
    QTest::newRow("a component ending with a dash") << "user/app-"
                                                    << "component \"app-\"";
    QTest::newRow("three underscores") << "a___b"
                                       << "component \"a___b\"";
    QTest::newRow("two dots in a row") << "a..b"
                                       << "component \"a..b\"";
    QTest::newRow("a space in the name") << "my app"
                                         << "component \"my app\"";
    QTest::newRow("a registry without a path") << "ghcr.io/"
                                               << "component \"/\"";
    QTest::newRow("a registry with an empty port") << "localhost:/app"
                                                   << "invalid registry";
    QTest::newRow("a registry with a non-numeric port") << "localhost:http/app"
                                                        << "invalid registry";
    QTest::newRow("a registry component ending with a dash") << "bad-.example.com/app"
                                                             << "invalid registry";
    QTest::newRow("an underscore in a registry") << "my_reg.io/app"
                                                 << "invalid registry";
    QTest::newRow("an unclosed IPv6 registry") << "[::1:5000/app"
                                               << "invalid registry";
    QTest::newRow("an empty IPv6 registry") << "[]:5000/app"
                                            << "invalid registry";
    QTest::newRow("a name over 255 characters")
        << "registry.io/" + QString(244, QLatin1Char('a')) << "not be more than 255 characters";
    QTest::newRow("a non-ASCII name") << "caf\u00e9"
                                      << "component";
}

void TestReference::refuses()
{
    QFETCH(QString, input);
    QFETCH(QString, error);
    const auto ref = Reference::parse(input.toStdString());
    QVERIFY2(!ref.has_value(), ref ? ref->toString().c_str() : "");
    QCOMPARE(ref.error().code(), ErrorCode::Parse);
    QVERIFY2(q(ref.error().message()).contains(error), ref.error().message().c_str());
    QVERIFY(q(ref.error().message()).startsWith("invalid reference \""));
}

void TestReference::buildsVariants()
{
    const auto plain = Reference::parse("user/app");
    QVERIFY(plain.has_value());
    QCOMPARE(q(plain->withDefaultTag().toString()), QString("docker.io/user/app:latest"));
    QCOMPARE(q(plain->withTag("v1").familiar()), QString("user/app:v1"));
    const Digest digest = *Digest::parse(s_digest.toStdString());
    // Pinning keeps the tag, and a pinned reference needs no default tag.
    const Reference pinned = plain->withTag("v1").withDigest(digest);
    QCOMPARE(q(pinned.toString()), "docker.io/user/app:v1@" + s_digest);
    QCOMPARE(q(plain->withDigest(digest).withDefaultTag().familiar()), "user/app@" + s_digest);
    QCOMPARE(q(pinned.withDefaultTag().tag()), QString("v1"));
    QCOMPARE(q(pinned.familiarName()), QString("user/app"));
}

void TestReference::tagRules_data()
{
    QTest::addColumn<QString>("tag");
    QTest::addColumn<bool>("valid");
    QTest::newRow("latest") << "latest" << true;
    QTest::newRow("a version with dots and dashes") << "1.2.3-rc.1" << true;
    QTest::newRow("a slash is not allowed") << "a/b" << false;
    QTest::newRow("an empty tag") << "" << false;
}

void TestReference::tagRules()
{
    QFETCH(QString, tag);
    QFETCH(bool, valid);
    QCOMPARE(Reference::isValidTag(tag.toStdString()), valid);
}

QTEST_GUILESS_MAIN(TestReference)
#include "tst_reference.moc"
