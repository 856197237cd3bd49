#include "engine/imagediff.h"

#include <QTest>

using Berth::ImageSummary;
using Berth::Internal::diffImages;

namespace {

ImageSummary image(const QString &id, const QStringList &tags = {})
{
    ImageSummary s;
    s.id = id;
    for (const QString &reference : tags)
        s.tags.append({reference, reference.section(u':', 0, 0), reference.section(u':', 1)});
    return s;
}

QStringList idsOf(const QList<ImageSummary> &images)
{
    QStringList out;
    for (const auto &i : images)
        out.append(i.id);
    return out;
}

} // namespace

class TestImageDiff : public QObject
{
    Q_OBJECT
private slots:
    void diff_data();
    void diff();
};

void TestImageDiff::diff_data()
{
    QTest::addColumn<QList<ImageSummary>>("before");
    QTest::addColumn<QList<ImageSummary>>("after");
    QTest::addColumn<QStringList>("added");
    QTest::addColumn<QStringList>("changed");
    QTest::addColumn<QStringList>("removed");
    const auto a = image("a", {"a:1"});
    const auto b = image("b", {"b:1"});
    QTest::newRow("nothing to nothing is no change")
        << QList<ImageSummary>{} << QList<ImageSummary>{} << QStringList{} << QStringList{}
        << QStringList{};
    QTest::newRow("a first listing adds everything")
        << QList<ImageSummary>{} << QList<ImageSummary>{a, b} << QStringList{"a", "b"}
        << QStringList{} << QStringList{};
    QTest::newRow("the same list in another order is no change")
        << QList<ImageSummary>{a, b} << QList<ImageSummary>{b, a} << QStringList{} << QStringList{}
        << QStringList{};
    QTest::newRow("a new tag changes the image")
        << QList<ImageSummary>{a, b} << QList<ImageSummary>{image("a", {"a:1", "a:2"}), b}
        << QStringList{} << QStringList{"a"} << QStringList{};
    QTest::newRow("a vanished image is removed, a new one added")
        << QList<ImageSummary>{a, b} << QList<ImageSummary>{image("c"), b} << QStringList{"c"}
        << QStringList{} << QStringList{"a"};
    QTest::newRow("everything removed") << QList<ImageSummary>{a, b} << QList<ImageSummary>{}
                                        << QStringList{} << QStringList{} << QStringList{"a", "b"};
}

void TestImageDiff::diff()
{
    QFETCH(QList<ImageSummary>, before);
    QFETCH(QList<ImageSummary>, after);
    QFETCH(QStringList, added);
    QFETCH(QStringList, changed);
    QFETCH(QStringList, removed);
    const auto d = diffImages(before, after);
    QCOMPARE(idsOf(d.added), added);
    QCOMPARE(idsOf(d.changed), changed);
    QCOMPARE(d.removed, removed);
    QCOMPARE(d.isEmpty(), added.isEmpty() && changed.isEmpty() && removed.isEmpty());
}

QTEST_GUILESS_MAIN(TestImageDiff)
#include "tst_imagediff.moc"
