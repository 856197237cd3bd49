#include "runtime/passwd.h"

#include <QTest>

using namespace Berth::Runtime::Internal;

// USER resolved from an image's own /etc/passwd and /etc/group, as Docker does.
class TestContainerUser : public QObject
{
    Q_OBJECT

    static constexpr const char *kPasswd = "root:x:0:0:root:/root:/bin/sh\n"
                                           "# a comment\n"
                                           "app:x:1000:1001:App:/home/app:/bin/sh\n"
                                           "broken line\n"
                                           "nohome:x:1002:1002:::/bin/sh\n";
    static constexpr const char *kGroup = "root:x:0:\nwheel:x:10:root,app\napp:x:1001:\n"
                                          "staff:x:50:other,app\n";

private slots:
    void resolves_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<uint>("uid");
        QTest::addColumn<uint>("gid");
        QTest::addColumn<QString>("home");
        QTest::addColumn<QString>("groups");
        QTest::newRow("no user is root with its entry") << "" << 0u << 0u << "/root"
                                                        << "10";
        QTest::newRow("a name takes its uid, gid and home")
            << "app" << 1000u << 1001u << "/home/app"
            << "10,50";
        QTest::newRow("a uid with an entry takes its gid and home")
            << "1000" << 1000u << 1001u << "/home/app"
            << "10,50";
        QTest::newRow("a uid without an entry runs with gid 0 and HOME /")
            << "4242" << 4242u << 0u << "/"
            << "";
        // With a group given, Docker adds no supplementary groups from /etc/group.
        QTest::newRow("uid:gid takes both numbers, and no other group")
            << "1000:7" << 1000u << 7u << "/home/app"
            << "";
        QTest::newRow("name:group takes the group's gid, and no other group")
            << "app:staff" << 1000u << 50u << "/home/app"
            << "";
        QTest::newRow("an empty home is /") << "nohome" << 1002u << 1002u << "/"
                                            << "";
        QTest::newRow("the largest id Docker accepts") << "2147483647" << 2147483647u << 0u << "/"
                                                       << "";
    }
    void resolves()
    {
        QFETCH(QString, spec);
        QFETCH(uint, uid);
        QFETCH(uint, gid);
        QFETCH(QString, home);
        QFETCH(QString, groups);
        ResolvedUser user;
        ChildFailure failure;
        const std::string s = spec.toStdString();
        QVERIFY2(resolveUser(s, kPasswd, kGroup, user, failure), failure.message);
        QCOMPARE(uint(user.uid), uid);
        QCOMPARE(uint(user.gid), gid);
        QCOMPARE(QString(user.home), home);
        QStringList list;
        for (int i = 0; i < user.groupCount; ++i)
            list << QString::number(user.groups[i]);
        QCOMPARE(list.join(','), groups);
    }

    void refuses_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("message");
        // 2^31 and 2^32 must never wrap around to root.
        QTest::newRow("a uid of 2^31") << "2147483648"
                                       << "user \"2147483648\": ids must be in range 0-2147483647";
        QTest::newRow("a uid of 2^32") << "4294967296"
                                       << "user \"4294967296\": ids must be in range 0-2147483647";
        QTest::newRow("a huge uid")
            << "99999999999999999999999"
            << "user \"99999999999999999999999\": ids must be in range 0-2147483647";
        QTest::newRow("a gid of 2^32") << "0:4294967296"
                                       << "group \"4294967296\": ids must be in range 0-2147483647";
        QTest::newRow("an unknown name")
            << "ghost"
            << "unable to find user ghost: no matching entries in passwd file";
        QTest::newRow("an unknown group")
            << "app:ghosts"
            << "unable to find group ghosts: no matching entries in group file";
        QTest::newRow("a negative uid is a name, and unknown")
            << "-1"
            << "unable to find user -1: no matching entries in passwd file";
    }
    void refuses()
    {
        QFETCH(QString, spec);
        QFETCH(QString, message);
        ResolvedUser user;
        ChildFailure failure;
        const std::string s = spec.toStdString();
        QVERIFY(!resolveUser(s, kPasswd, kGroup, user, failure));
        QCOMPARE(QString(failure.message), message);
        QCOMPARE(failure.status, 125);
    }

    void missingFilesStillResolveNumbers()
    {
        ResolvedUser user;
        ChildFailure failure;
        QVERIFY(resolveUser("", "", "", user, failure));
        QCOMPARE(uint(user.uid), 0u);
        QCOMPARE(QString(user.home), QString("/"));
        QVERIFY(!resolveUser("root", "", "", user, failure));
    }
};

QTEST_GUILESS_MAIN(TestContainerUser)
#include "tst_containeruser.moc"
