#pragma once

#include <vector>

// One catch / no-catch pair (at least) per lint rule, hadolint style. `line` is where the first
// finding of the rule must be; 0 means the rule must stay silent.
struct RuleCase
{
    const char *rule;
    const char *name; // completes "<rule> ..." into a sentence
    const char *dockerfile;
    int line;
};

inline const std::vector<RuleCase> &ruleCases()
{
    static const std::vector<RuleCase> cases = {
        {"DL3006", "catches an untagged base image", "FROM debian\n", 1},
        {"DL3006", "leaves tags, digests, scratch, stages and ARG images alone",
         "ARG IMG=debian:12\nFROM debian:12 AS base\nFROM base\nFROM scratch\nFROM ${IMG}\n"
         "FROM alpine@sha256:0123abcd\n",
         0},
        {"DL3007", "catches the latest tag", "FROM debian:latest\n", 1},
        {"DL3007", "accepts latest pinned by a digest",
         "FROM debian:12\nFROM debian:latest@sha256:abcd\n", 0},
        {"DL3003", "catches cd in RUN", "FROM a:1\nRUN cd /src && make\n", 2},
        // The script of a heredoc RUN is read like the shell form.
        {"DL3003", "catches cd in a heredoc script", "FROM a:1\nRUN <<EOF\nset -e\ncd /src\nEOF\n",
         4},
        {"DL3003", "ignores cd as an argument", "FROM a:1\nWORKDIR /src\nRUN make && echo cd\n", 0},
        {"DL3004", "catches sudo", "FROM a:1\nRUN sudo apt-get update\n", 2},
        {"DL3004", "ignores sudo as an argument", "FROM a:1\nUSER root\nRUN echo sudo\n", 0},
        {"DL3008", "catches an unpinned apt-get package",
         "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends "
         "curl && rm -rf /var/lib/apt/lists/*\n",
         2},
        // Words after a line continuation are still the same command.
        {"DL3008", "catches an unpinned package on a continuation line",
         "FROM debian:12\nRUN apt-get install -y --no-install-recommends \\\n    curl=7.88 \\\n"
         "    git\n",
         4},
        {"DL3008", "accepts versions, release pins and .deb files",
         "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl=7.88.1-10 "
         "git/bookworm ./local.deb \"${EXTRA}\" > /dev/null\n",
         0},
        {"DL3009", "catches apt lists left in the image",
         "FROM debian:12\nRUN apt-get update && apt-get install -y curl=1\n", 2},
        {"DL3009", "accepts removed lists, cache mounts and builder stages",
         "FROM debian:12 AS build\nRUN apt-get update\nFROM debian:12\n"
         "RUN apt-get update && apt-get install -y curl=1 && rm -rf /var/lib/apt/lists/*\n"
         "RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update\n"
         "COPY --from=build /x /x\n",
         0},
        {"DL3014", "catches apt-get install without -y",
         "FROM debian:12\nRUN apt-get install --no-install-recommends curl=1\n", 2},
        {"DL3014", "accepts -y inside a cluster of short options",
         "FROM debian:12\nRUN apt-get install -qy --no-install-recommends curl=1\n", 0},
        {"DL3015", "catches apt-get install without --no-install-recommends",
         "FROM debian:12\nRUN apt-get install -y curl=1\n", 2},
        {"DL3015", "accepts the APT option that turns recommends off",
         "FROM debian:12\nRUN apt-get -o APT::Install-Recommends=false install -y curl=1\n", 0},
        {"DL3027", "catches apt install", "FROM debian:12\nRUN apt install -y curl\n", 2},
        {"DL3027", "leaves apt subcommands without an apt-get equivalent alone",
         "FROM debian:12\nRUN apt list --installed && apt-cache policy curl\n", 0},
        {"DL3042", "catches pip install without --no-cache-dir",
         "FROM python:3.12\nRUN pip install flask==3.0\n", 2},
        {"DL3042", "catches python -m pip install",
         "FROM python:3.12\nRUN python3 -m pip install flask==3.0\n", 2},
        {"DL3042", "accepts PIP_NO_CACHE_DIR and cache mounts",
         "FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask==3.0\nFROM python:3.12\n"
         "RUN --mount=type=cache,target=/root/.cache pip install flask==3.0\n"
         "RUN PIP_NO_CACHE_DIR=1 pip3 install flask==3.0\n",
         0},
        {"DL3013", "catches an unpinned pip package",
         "FROM python:3.12\nRUN pip install --no-cache-dir flask\n", 2},
        {"DL3013", "accepts versions, requirement files and paths",
         "FROM python:3.12\nRUN pip install --no-cache-dir 'flask==3.0' -r requirements.txt "
         "./pkg \"django>=5\"\n",
         0},
        {"DL3016", "catches an unpinned npm package",
         "FROM node:20\nRUN npm install -g typescript\n", 2},
        {"DL3016", "accepts versions, scoped versions and package.json installs",
         "FROM node:20\nRUN npm install -g typescript@5.4 @types/node@20 && npm install\n", 0},
        {"DL3018", "catches an unpinned apk package",
         "FROM alpine:3.20\nRUN apk add --no-cache curl\n", 2},
        {"DL3018", "accepts versions and skips the --virtual name",
         "FROM alpine:3.20\nRUN apk add --no-cache --virtual .deps curl=8.9.0-r0\n", 0},
        {"DL3019", "catches apk add without --no-cache",
         "FROM alpine:3.20\nRUN apk add curl=8.9.0-r0\n", 2},
        {"DL3019", "accepts --no-cache before the subcommand",
         "FROM alpine:3.20\nRUN apk --no-cache add curl=8.9.0-r0\n", 0},
        {"DL3020", "catches ADD of a local file", "FROM a:1\nADD app.py /app/\n", 2},
        {"DL3020", "leaves ADD of URLs and archives alone",
         "FROM a:1\nADD https://example.com/x.txt /tmp/\nADD rootfs.tar.gz /\n"
         "COPY app.py /app/\n",
         0},
        {"DL3021", "catches several sources copied to a file name",
         "FROM a:1\nCOPY a.txt b.txt /app\n", 2},
        {"DL3021", "accepts a folder destination and a single source",
         "FROM a:1\nCOPY a.txt b.txt /app/\nCOPY a.txt /app\n", 0},
        {"DL3022", "catches --from naming no stage",
         "FROM a:1 AS build\nFROM b:1\nCOPY --from=biuld /out /out\n", 3},
        // BuildKit orders stages by their dependencies, the classic builder does not.
        {"DL3022", "catches --from naming a later stage",
         "FROM a:1\nCOPY --from=later /x /x\nFROM b:1 AS later\n", 2},
        {"DL3022", "accepts earlier stages, stage numbers and image references",
         "FROM a:1 AS build\nFROM b:1\nCOPY --from=build /out /out\n"
         "COPY --from=nginx:1.27 /etc/nginx /etc/nginx\nCOPY --from=0 /x /x\n"
         "RUN --mount=type=bind,from=build,target=/b ls /b\n",
         0},
        {"DL3023", "catches a stage copying from itself",
         "FROM a:1 AS build\nCOPY --from=build /x /y\n", 2},
        {"DL3023", "accepts copying from an earlier stage",
         "FROM a:1 AS build\nFROM b:1\nCOPY --from=build /x /y\n", 0},
        {"DL3045", "catches a relative destination without WORKDIR", "FROM a:1\nCOPY app.py app/\n",
         2},
        // The WORKDIR of a stage is inherited by the stages built FROM it.
        {"DL3045", "accepts a WORKDIR set earlier or in the base stage",
         "FROM a:1 AS base\nWORKDIR /srv\nCOPY app.py app/\nFROM base\nCOPY x.py .\n"
         "FROM a:1\nCOPY app.py /app/\n",
         0},
        {"DL3059", "catches consecutive RUNs", "FROM a:1\nRUN echo a\nRUN echo b\n", 3},
        {"DL3059", "accepts RUNs separated by a comment or with other flags",
         "FROM a:1\nRUN echo a\n# a separate step\nRUN echo b\n"
         "RUN --mount=type=cache,target=/c echo c\n",
         0},
        {"DL4006", "catches a pipe without pipefail", "FROM a:1\nRUN curl -fsSL https://x | sh\n",
         2},
        {"DL4006", "accepts a pipefail SHELL, set -o pipefail and ||",
         "FROM a:1\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n"
         "RUN curl -fsSL https://x | sh\nFROM b:1\nRUN set -o pipefail && curl x | sh\n"
         "RUN echo a || echo 'b | c'\n",
         0},
        {"DL4001", "catches wget and curl in one stage",
         "FROM a:1\nRUN wget -q https://x\nRUN curl -O https://y\n", 3},
        {"DL4001", "accepts wget and curl in different stages",
         "FROM a:1\nRUN wget -q https://x\nFROM b:1\nRUN curl -O https://y\n", 0},
        {"DL3002", "catches root as the last user", "FROM a:1\nUSER root\n", 2},
        {"DL3002", "accepts root in a builder stage or before another USER",
         "FROM a:1 AS build\nUSER root\nFROM a:1\nUSER 0\nRUN id\nUSER app:app\n", 0},
        {"DL3061", "catches an instruction before FROM", "RUN echo hi\nFROM a:1\n", 1},
        {"DL3061", "accepts directives, comments and ARG before FROM",
         "# syntax=docker/dockerfile:1\n# a comment\nARG V=1\nFROM a:${V}\n", 0},
        {"DL3011", "catches a port from an ARG out of range",
         "FROM a:1\nARG PORT=70000\nEXPOSE $PORT\n", 3},
        {"DL3011", "accepts ports from ARGs in range",
         "FROM a:1\nARG PORT=8080\nEXPOSE $PORT 9000/udp\n", 0},
        {"WorkdirRelativePath", "catches a relative WORKDIR", "FROM a:1\nWORKDIR app\n", 2},
        {"WorkdirRelativePath", "accepts a relative WORKDIR after an absolute one",
         "FROM a:1\nWORKDIR /srv\nWORKDIR app\nFROM a:1\nWORKDIR ${HOME}/x\n", 0},
        {"DuplicateStageName", "catches two stages with one name, whatever the case",
         "FROM a:1 AS build\nFROM b:1 AS BUILD\n", 2},
        {"DuplicateStageName", "accepts distinct names", "FROM a:1 AS build\nFROM b:1 AS test\n",
         0},
        {"ReservedStageName", "catches a stage named scratch", "FROM a:1 AS scratch\n", 1},
        {"ReservedStageName", "accepts FROM scratch", "FROM a:1 AS base\nFROM scratch\n", 0},
        {"StageNameCasing", "catches an upper-case stage name", "FROM a:1 AS Build\n", 1},
        {"StageNameCasing", "accepts a lower-case name", "FROM a:1 AS build-2.x\n", 0},
        {"FromAsCasing", "catches as with FROM", "FROM a:1 as build\n", 1},
        {"FromAsCasing", "accepts matching casing", "FROM a:1 AS build\nfrom b:1 as test\n", 0},
        {"ConsistentInstructionCasing", "catches an instruction in the minority casing",
         "FROM a:1\nrun echo\nRUN echo\n", 2},
        {"ConsistentInstructionCasing", "accepts a file in lower case", "from a:1\nrun echo\n", 0},
        {"NoEmptyContinuation", "catches an empty line in a continuation",
         "FROM a:1\nRUN echo a \\\n\n    b\n", 3},
        {"NoEmptyContinuation", "accepts continuations without empty lines",
         "FROM a:1\nRUN echo a \\\n    # a comment is fine\n    b\n", 0},
        {"UndefinedArgInFrom", "catches an undeclared ARG in FROM",
         "ARG VERSION=3\nFROM alpine:${VERSON}\n", 2},
        {"UndefinedArgInFrom", "accepts declared, platform and defaulted ARGs",
         "ARG VERSION=3.20\nFROM --platform=$BUILDPLATFORM alpine:${VERSION}\n"
         "FROM alpine:${TAG:-3.20}\n",
         0},
        {"InvalidDefaultArgInFrom", "catches an ARG without default making the image invalid",
         "ARG TAG\nFROM alpine:${TAG}\n", 2},
        // BUILD_TAG is no platform ARG even though it starts like one.
        {"InvalidDefaultArgInFrom", "catches an empty image from an ARG named like BUILD*",
         "ARG BUILD_TAG\nFROM ${BUILD_TAG}\n", 2},
        {"InvalidDefaultArgInFrom", "accepts ARGs whose defaults make valid images",
         "ARG TAG=3.20\nFROM alpine:${TAG}\nARG IMAGE\nFROM ${IMAGE:-alpine}:3.20\n"
         "ARG REG=localhost:5000\nFROM ${REG}/app:1\n",
         0},
        {"UndefinedVar", "catches a misspelt variable",
         "FROM a:1\nARG VERSION=1\nENV APP_VERSION=$VERSON\n", 3},
        // Global ARGs are visible in FROM lines only, a classic mistake.
        {"UndefinedVar", "catches a global ARG that the stage did not redeclare",
         "ARG APP=/srv/app\nFROM a:1\nWORKDIR $APP\n", 3},
        {"UndefinedVar", "catches any undefined name when the base is scratch",
         "FROM scratch\nCOPY ${SRC} /app/\n", 2},
        {"UndefinedVar", "accepts redeclared ARGs, PATH, fallbacks and RUN",
         "ARG GO=1.22\nFROM a:1\nARG GO\nENV PATH=/go/bin:$PATH GOV=$GO\n"
         "RUN echo $UNDEFINED_IN_SHELL\nCOPY ${MISSING:-.} /src/\nUSER $JAVA_HOME_FROM_IMAGE\n",
         0},
        {"SecretsUsedInArgOrEnv", "catches a token in an ARG", "FROM a:1\nARG GITHUB_TOKEN\n", 2},
        {"SecretsUsedInArgOrEnv", "accepts public keys and words that merely contain key",
         "FROM a:1\nARG PUBLIC_KEY=x\nENV MONKEY=1 KEYBOARD=us\n", 0},
        {"JSONArgsRecommended", "catches CMD in shell form", "FROM a:1\nCMD node server.js\n", 2},
        {"JSONArgsRecommended", "accepts the exec form and an explicit SHELL",
         "FROM a:1\nCMD [\"node\", \"server.js\"]\nFROM b:1\nSHELL [\"/bin/bash\", \"-c\"]\n"
         "ENTRYPOINT exec node server.js\n",
         0},
        {"MultipleInstructionsDisallowed", "catches two CMDs in one stage",
         "FROM a:1\nCMD [\"a\"]\nCMD [\"b\"]\n", 2},
        {"MultipleInstructionsDisallowed", "accepts one of each per stage",
         "FROM a:1 AS one\nCMD [\"a\"]\nFROM a:1\nCMD [\"b\"]\nENTRYPOINT [\"c\"]\n"
         "HEALTHCHECK NONE\n",
         0},
        {"MaintainerDeprecated", "catches MAINTAINER",
         "FROM a:1\nMAINTAINER Jane <jane@example.com>\n", 2},
        {"MaintainerDeprecated", "accepts the authors label",
         "FROM a:1\nLABEL org.opencontainers.image.authors=\"Jane\"\n", 0},
        {"LegacyKeyValueFormat", "catches ENV key value", "FROM a:1\nENV APP_HOME /app\n", 2},
        {"LegacyKeyValueFormat", "accepts key=value", "FROM a:1\nENV APP_HOME=/app\nLABEL a=b\n",
         0},
        {"RedundantTargetPlatform", "catches --platform=$TARGETPLATFORM",
         "FROM --platform=$TARGETPLATFORM alpine:3.20\n", 1},
        {"RedundantTargetPlatform", "accepts --platform=$BUILDPLATFORM",
         "FROM --platform=$BUILDPLATFORM alpine:3.20\n", 0},
        {"ExposeProtoCasing", "catches an upper-case protocol", "FROM a:1\nEXPOSE 53/UDP\n", 2},
        {"ExposeProtoCasing", "accepts lower-case protocols", "FROM a:1\nEXPOSE 53/udp 80\n", 0},
    };
    return cases;
}

// A fix, applied alone, must turn `before` into `after`.
struct FixCase
{
    const char *rule;
    const char *name;
    const char *before;
    const char *after;
};

inline const std::vector<FixCase> &fixCases()
{
    static const std::vector<FixCase> cases = {
        {"DL3014", "adds -y after install",
         "FROM debian:12\nRUN apt-get install --no-install-recommends curl=1\n",
         "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl=1\n"},
        {"DL3015", "adds --no-install-recommends on a continued line",
         "FROM debian:12\nRUN apt-get install -y \\\n    curl=1\n",
         "FROM debian:12\nRUN apt-get install --no-install-recommends -y \\\n    curl=1\n"},
        {"DL3027", "replaces apt with apt-get",
         "FROM debian:12\nRUN apt-get update && apt install -y curl=1\n",
         "FROM debian:12\nRUN apt-get update && apt-get install -y curl=1\n"},
        {"DL3042", "adds --no-cache-dir", "FROM python:3.12\nRUN pip install flask==3.0\n",
         "FROM python:3.12\nRUN pip install --no-cache-dir flask==3.0\n"},
        {"DL3019", "adds --no-cache", "FROM alpine:3.20\nRUN apk add curl=8\n",
         "FROM alpine:3.20\nRUN apk add --no-cache curl=8\n"},
        {"DL3020", "replaces ADD with COPY and keeps the flags",
         "FROM a:1\nADD --chown=1:1 app.py /app/\n", "FROM a:1\nCOPY --chown=1:1 app.py /app/\n"},
        {"DL3021", "adds a trailing slash", "FROM a:1\nCOPY a b /app\n",
         "FROM a:1\nCOPY a b /app/\n"},
        {"JSONArgsRecommended", "converts a plain command to JSON",
         "FROM a:1\nCMD node server.js --port=80\n",
         "FROM a:1\nCMD [\"node\", \"server.js\", \"--port=80\"]\n"},
        {"MaintainerDeprecated", "writes the authors label with quotes escaped",
         "FROM a:1\nMAINTAINER Jane \"JD\" <jane@example.com>\n",
         "FROM a:1\nLABEL org.opencontainers.image.authors=\"Jane \\\"JD\\\" "
         "<jane@example.com>\"\n"},
        // --from compares stage names without regard to case, so references keep working.
        {"StageNameCasing", "lower-cases the name only where it is defined",
         "FROM a:1 AS Build\nFROM b:1\nCOPY --from=Build /x /y\n",
         "FROM a:1 AS build\nFROM b:1\nCOPY --from=Build /x /y\n"},
        {"FromAsCasing", "writes AS like FROM", "FROM a:1 as build\n", "FROM a:1 AS build\n"},
        {"ConsistentInstructionCasing", "writes the keyword like the majority",
         "FROM a:1\nRUN x\nrun y\n", "FROM a:1\nRUN x\nRUN y\n"},
        {"NoEmptyContinuation", "removes every empty continuation line",
         "FROM a:1\nRUN echo a \\\n\n  \n    b\n", "FROM a:1\nRUN echo a \\\n    b\n"},
        {"LegacyKeyValueFormat", "writes key=value", "FROM a:1\nENV APP_HOME /app\n",
         "FROM a:1\nENV APP_HOME=/app\n"},
        {"LegacyKeyValueFormat", "quotes a value with spaces",
         "FROM a:1\nLABEL description a small app\n",
         "FROM a:1\nLABEL description=\"a small app\"\n"},
        {"RedundantTargetPlatform", "removes the flag",
         "FROM --platform=$TARGETPLATFORM alpine:3.20\n", "FROM alpine:3.20\n"},
        {"ExposeProtoCasing", "lower-cases the protocol", "FROM a:1\nEXPOSE 53/UDP 80\n",
         "FROM a:1\nEXPOSE 53/udp 80\n"},
    };
    return cases;
}
