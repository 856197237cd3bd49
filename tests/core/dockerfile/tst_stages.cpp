#include "dockerfile/stages.h"
#include "dockerfile/typed.h"
#include "dockerfile/values.h"

#include <QTest>

using namespace Berth::Dockerfile;

namespace {

const char s_multiStage[] = R"(ARG BASE=busybox
ARG TAG
FROM ${BASE}:1.36 AS deps
RUN echo deps
FROM deps AS Build
RUN --mount=type=cache,from=tools,target=/t echo build
FROM busybox AS tools
FROM busybox AS test
COPY --from=build /out /out
FROM scratch AS final
COPY --from=1 /out /app
COPY --from=docker.io/library/alpine:3 /etc/os-release /
)";

std::vector<std::string> keysOf(const KeyValueCommand &kv)
{
    std::vector<std::string> out;
    for (const auto &p : kv.pairs)
        out.push_back(p.key + (p.hasValue ? "=" + p.value : ""));
    return out;
}

} // namespace

class TestStages : public QObject
{
    Q_OBJECT
private slots:
    void stagesAndReferences()
    {
        const Document doc = parse(s_multiStage);
        const StageGraph g = buildStageGraph(doc);
        QCOMPARE(g.globalArgs.size(), std::size_t(2));
        QCOMPARE(g.stages.size(), std::size_t(5));
        QCOMPARE(g.stages[0].base, std::string("busybox:1.36"));
        QCOMPARE(g.stages[1].name, std::string("build")); // stage names compare in lower case
        QCOMPARE(g.stages[1].nameAsWritten, std::string("Build"));
        QCOMPARE(g.stages[1].references.front().stage, 0);
        // "tools" is declared after stage 1, so the mount names an image, not the stage.
        QCOMPARE(g.stages[1].references.back().kind, StageReference::Kind::MountFrom);
        QCOMPARE(g.stages[1].references.back().stage, -1);
        QCOMPARE(g.stages[3].references.back().stage, 1);
        QCOMPARE(g.stages[4].references[1].stage, 1);  // --from=1 is the index
        QCOMPARE(g.stages[4].references[2].stage, -1); // an image reference
        QCOMPARE(g.stageOf(0), -1);
        QCOMPARE(g.stageOf(5), 1);
    }

    void targetResolutionAndRequiredStages()
    {
        const Document doc = parse(s_multiStage);
        const StageGraph g = buildStageGraph(doc);
        QCOMPARE(*g.resolveTarget(""), 4);
        QCOMPARE(*g.resolveTarget("TEST"), 3);
        const auto missing = g.resolveTarget("nope");
        QVERIFY(!missing);
        QCOMPARE(missing.error().message(),
                 std::string("target stage \"nope\" could not be found (stages: deps, Build, "
                             "tools, test, final)"));
        QCOMPARE(g.requiredStages(3), (std::vector<int>{0, 1, 3}));
        QCOMPARE(g.requiredStages(4), (std::vector<int>{0, 1, 4}));
        // "tools" is never needed by the last stage.
        QCOMPARE(g.requiredStages(2), (std::vector<int>{2}));
        QVERIFY(!buildStageGraph(parse("ARG A\n")).resolveTarget(""));
    }

    void buildArgsOverrideGlobalDefaults()
    {
        const Document doc = parse(s_multiStage);
        const StageGraph g = buildStageGraph(doc, {{"BASE", "alpine"}});
        QCOMPARE(g.stages[0].base, std::string("alpine:1.36"));
    }

    void argScoping()
    {
        const Document doc = parse(R"(ARG GLOBAL=g
ARG ONLYFROM=x
FROM busybox
ARG GLOBAL
ARG LOCAL=l-${GLOBAL}
ENV E=${LOCAL}
RUN true
FROM 0 AS child
RUN true
)");
        const StageGraph g = buildStageGraph(doc);
        VariableScope scope(doc, g, {{"LOCAL", "from-cli"}});
        scope.advanceTo(2); // the FROM line sees the global ARGs
        QCOMPARE(scope.lookup("ONLYFROM").value_or("?"), std::string("x"));
        QVERIFY(scope.isDeclared("TARGETARCH"));
        scope.advanceTo(3); // inside the stage, global ARGs are invisible until redeclared
        QVERIFY(!scope.isDeclared("GLOBAL"));
        QVERIFY(!scope.isDeclared("ONLYFROM"));
        scope.advanceTo(4);
        QCOMPARE(scope.lookup("GLOBAL").value_or("?"), std::string("g"));
        scope.advanceTo(6);
        QCOMPARE(scope.lookup("LOCAL").value_or("?"), std::string("from-cli"));
        QCOMPARE(scope.lookup("E").value_or("?"), std::string("from-cli"));
        scope.advanceTo(8); // a stage built on another inherits its ENV, not its ARGs
        QCOMPARE(scope.lookup("E").value_or("?"), std::string("from-cli"));
        QVERIFY(!scope.isDeclared("LOCAL"));
    }

    void pairsOfOneInstructionSeeTheScopeFromBeforeIt()
    {
        const Document doc = parse("FROM busybox\nENV abc=hello\nENV abc=bye def=$abc\nARG x=1\n"
                                   "ARG x=2 y=$x\nRUN true\n");
        const StageGraph g = buildStageGraph(doc);
        VariableScope scope(doc, g);
        scope.advanceTo(5);
        QCOMPARE(scope.lookup("abc").value_or("?"), std::string("bye"));
        QCOMPARE(scope.lookup("def").value_or("?"), std::string("hello"));
        QCOMPARE(scope.lookup("y").value_or("?"), std::string("1"));
    }

    void quotesAreRemovedOnceWhenExpanding()
    {
        const Document doc =
            parse("FROM busybox\nENV x=1 A=\"it's $x\" B='$x' C=a\\ b\nRUN true\n");
        const StageGraph g = buildStageGraph(doc);
        VariableScope scope(doc, g);
        scope.advanceTo(2);
        QCOMPARE(scope.lookup("A").value_or("?"), std::string("it's "));
        QCOMPARE(scope.lookup("B").value_or("?"), std::string("$x"));
        QCOMPARE(scope.lookup("C").value_or("?"), std::string("a b"));
    }

    void platformArgsAreTheEightPredefinedOnes()
    {
        QVERIFY(isPlatformArg("TARGETARCH"));
        QVERIFY(isPlatformArg("BUILDPLATFORM"));
        QVERIFY(!isPlatformArg("BUILD_TAG"));
        QVERIFY(!isPlatformArg("TARGET"));
    }

    void typedInstructions()
    {
        const Document doc = parse(R"(FROM --platform=linux/amd64 busybox AS app
ENV A="x y" B='z' OLD
ENV LEGACY some value
COPY --from=app --chmod=0755 --link --exclude=*.md a b /dst/
RUN --mount=type=cache,dst=/root/.cache,sharing=locked --network=none ["make"]
HEALTHCHECK --interval=1m30s --retries=5 CMD ["true"]
HEALTHCHECK NONE
ONBUILD RUN x
USER app
)");
        const auto &in = doc.instructions;
        const auto from = std::get<FromCommand>(toTyped(in[0]));
        QCOMPARE(from.image, std::string("busybox"));
        QCOMPARE(from.stageName, std::string("app"));
        QCOMPARE(from.platform, std::string("linux/amd64"));
        // "ENV A=... OLD": a word without "=" is a parse error; the typed view keeps the key.
        QCOMPARE(keysOf(std::get<KeyValueCommand>(toTyped(in[1]))),
                 (std::vector<std::string>{"A=x y", "B=z", "OLD"}));
        const auto legacy = std::get<KeyValueCommand>(toTyped(in[2]));
        QVERIFY(legacy.legacyForm);
        QCOMPARE(keysOf(legacy), (std::vector<std::string>{"LEGACY=some value"}));
        const auto copy = std::get<CopyCommand>(toTyped(in[3]));
        QCOMPARE(copy.sources.size(), std::size_t(2));
        QCOMPARE(copy.destination->text, std::string("/dst/"));
        QCOMPARE(copy.from, std::string("app"));
        QCOMPARE(copy.chmod, std::string("0755"));
        QVERIFY(copy.link);
        QCOMPARE(copy.excludes, (std::vector<std::string>{"*.md"}));
        const auto run = std::get<RunCommand>(toTyped(in[4]));
        QCOMPARE(run.command.form, Form::Exec);
        QCOMPARE(run.mounts.size(), std::size_t(1));
        QCOMPARE(run.mounts[0].type, std::string("cache"));
        QCOMPARE(run.mounts[0].options.at("target"), std::string("/root/.cache"));
        QCOMPARE(run.network, std::string("none"));
        const auto hc = std::get<HealthcheckCommand>(toTyped(in[5]));
        QCOMPARE(*hc.interval, std::int64_t(90'000'000'000));
        QCOMPARE(*hc.retries, 5);
        QCOMPARE(hc.command.arguments, (std::vector<std::string>{"true"}));
        QVERIFY(std::get<HealthcheckCommand>(toTyped(in[6])).none);
        QCOMPARE(std::get<OnbuildCommand>(toTyped(in[7])).trigger->keyword, Keyword::Run);
        QCOMPARE(std::get<ValueCommand>(toTyped(in[8])).value, std::string("app"));
    }

    void unquoting_data()
    {
        QTest::addColumn<QString>("word");
        QTest::addColumn<QString>("expected");
        QTest::newRow("double quotes go") << "\"a b\""
                                          << "a b";
        QTest::newRow("single quotes keep escapes") << "'a\\b'"
                                                    << "a\\b";
        QTest::newRow("an escaped space is a space") << "a\\ b"
                                                     << "a b";
        // Inside double quotes, the escape only escapes ", $ and itself, as in the shell.
        QTest::newRow("escapes inside double quotes are selective") << "\"\\n\\\"\""
                                                                    << "\\n\"";
        QTest::newRow("mixed quoting joins") << "a\"b\"'c'"
                                             << "abc";
    }
    void unquoting()
    {
        QFETCH(QString, word);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(unquote(word.toStdString())), expected);
    }

    void durations_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qlonglong>("nanoseconds");
        QTest::newRow("seconds") << "30s" << 30'000'000'000LL;
        QTest::newRow("minutes and seconds") << "1m30s" << 90'000'000'000LL;
        QTest::newRow("fractions") << "1.5h" << 5'400'000'000'000LL;
        QTest::newRow("milliseconds") << "500ms" << 500'000'000LL;
        QTest::newRow("zero needs no unit") << "0" << 0LL;
        QTest::newRow("a number without unit is an error") << "30" << -1LL;
        QTest::newRow("an unknown unit is an error") << "3d" << -1LL;
        QTest::newRow("empty is an error") << "" << -1LL;
    }
    void durations()
    {
        QFETCH(QString, text);
        QFETCH(qlonglong, nanoseconds);
        const auto d = parseDuration(text.toStdString());
        if (nanoseconds < 0)
            QVERIFY(!d);
        else
            QCOMPARE(qlonglong(*d), nanoseconds);
    }

    void signalsAndPorts()
    {
        QCOMPARE(parseSignal("SIGTERM").value_or(0), 15);
        QCOMPARE(parseSignal("kill").value_or(0), 9);
        QCOMPARE(parseSignal("9").value_or(0), 9);
        QCOMPARE(parseSignal("SIGRTMIN+3").value_or(0), 37);
        QVERIFY(!parseSignal("SIGNOPE"));
        QVERIFY(!parseSignal("99"));
        const auto range = parsePortSpec("8000-8010/udp");
        QVERIFY(range);
        QCOMPARE(range->first, 8000);
        QCOMPARE(range->last, 8010);
        QCOMPARE(range->protocol, std::string("udp"));
        QVERIFY(!parsePortSpec("70000"));
        QVERIFY(!parsePortSpec("80/http"));
        QVERIFY(!parsePortSpec("9-1"));
        QVERIFY(isValidChmod("0755"));
        QVERIFY(isValidChmod("u+x,go-w"));
        QVERIFY(!isValidChmod("999"));
        QVERIFY(!isValidChmod("u+x,"));
    }
};

QTEST_GUILESS_MAIN(TestStages)
#include "tst_stages.moc"
